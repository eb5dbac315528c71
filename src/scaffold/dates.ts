/** YYYY-MM-DD one month on; a day the next month does not have becomes its last (01-31 → 02-28 or 02-29). */
export function oneMonthOn(date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const year = m === 12 ? y + 1 : y;
  const month = (m % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${pad(month)}-${pad(Math.min(d, last))}`;
}

/** YYYY-MM-DD a number of days after `date` (for the template's schedule). */
export function daysAfter(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
