/** Names the database gives a refused second record of one PESEL (shared by the migrations and the service). */

/** The unique index of live records' PESELs within one gmina. */
export const PESEL_UNIQUE = 'resident_pesel_key';
/** The trigger's refusal of a PESEL held by a live record of the same centre; its detail is that record's id and TERC code. */
export const PESEL_IN_CENTRE = 'resident_pesel_in_centre';
