/**
 * The systems a plan's coordinated help comes from (help outside the catalogue, issue 20): each value
 * with its description. Kept free of decorators: the migration that checks the column imports it, and
 * coordinated-help.ts makes it the GraphQL enum CoordinatedHelpSystem.
 */
export const COORDINATED_HELP_SYSTEMS = {
  HEALTH_CARE: 'Health care financed by the health fund (NFZ): rehabilitation, nursing, a health centre, a hospital',
  SOCIAL_ASSISTANCE: 'Social assistance: benefits and work of the OPS or of the team for benefits (zespół) of the gmina',
  EDUCATION: "A school's or kindergarten's support, a psychological and pedagogical counselling centre",
  LABOUR_MARKET: 'The county labour office (PUP): activation, training, work',
  DISABILITY_SUPPORT: 'Support for disabled persons: PCPR, PFRON programmes, a disability assessment team',
  FAMILY_SUPPORT: 'Family support: family assistant, foster care, family benefits',
  OTHER: 'Another public or private system, named by its provider',
} as const;

export type CoordinatedHelpSystemCode = keyof typeof COORDINATED_HELP_SYSTEMS;
export const COORDINATED_HELP_SYSTEM_CODES = Object.keys(COORDINATED_HELP_SYSTEMS) as CoordinatedHelpSystemCode[];
