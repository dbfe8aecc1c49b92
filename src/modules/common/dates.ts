/** Today's date in Poland (Europe/Warsaw), `YYYY-MM-DD`: deadlines such as a consultation's end are Polish calendar days. */
export function todayInPoland(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Warsaw', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

