// Reporter-side dates are kept to the day in Europe/London: a precise time
// could be matched against door or login logs (PROTOCOL.md, Principles).
const london = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

export const todayInLondon = (now: Date = new Date()): string => london.format(now);

function parse(day: string): { y: number; m: number; d: number } {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return { y, m, d };
}

const fmt = (date: Date): string => date.toISOString().slice(0, 10);

export function addDays(day: string, n: number): string {
  const { y, m, d } = parse(day);
  return fmt(new Date(Date.UTC(y, m - 1, d + n)));
}

/** Calendar months, clamped to the month's last day (31 Nov → 30 Nov). */
export function addMonths(day: string, n: number): string {
  const { y, m, d } = parse(day);
  const lastDay = new Date(Date.UTC(y, m - 1 + n + 1, 0)).getUTCDate();
  return fmt(new Date(Date.UTC(y, m - 1 + n, Math.min(d, lastDay))));
}
