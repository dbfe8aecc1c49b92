/**
 * Fixed ids, so documentation and manual testing can name the demo units.
 * Facts (resolution, funding values, period) come from the centres' public documents (README, "Data sources"); seat addresses are
 * illustrative, and the inter-municipal unit of Kołbiel and Celestynów is fictional.
 */
export const DEMO_UNITS = {
  wiazowna: '0193a000-0000-7000-8000-000000000001',
  wojcieszkow: '0193a000-0000-7000-8000-000000000002',
  wydminy: '0193a000-0000-7000-8000-000000000003',
  srokowo: '0193a000-0000-7000-8000-000000000004',
  kobylka: '0193a000-0000-7000-8000-000000000005',
  kolbielCelestynow: '0193a000-0000-7000-8000-000000000006',
} as const;
