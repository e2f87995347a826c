/**
 * Working days on the official calendar: weekends are off unless listed as adjusted working
 * days (调休), and listed holidays are off. Dates are ISO strings.
 */
export interface HolidayCalendar { offDays: Set<string>; workedWeekends: Set<string> }

export function isWorkingDay(date: string, calendar: HolidayCalendar): boolean {
  if (calendar.offDays.has(date)) return false;
  if (calendar.workedWeekends.has(date)) return true;
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day !== 0 && day !== 6;
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The date `count` working days after `start` (start itself not counted).
 * @example addWorkingDays('2025-09-30', 1, calendar) // '2025-10-09' over the National Day holiday
 */
export function addWorkingDays(start: string, count: number, calendar: HolidayCalendar): string {
  let date = start;
  let left = count;
  while (left > 0) {
    date = nextDay(date);
    if (isWorkingDay(date, calendar)) left--;
  }
  return date;
}
