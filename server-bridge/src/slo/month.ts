// Calendar months for the monthly SLO report, in UTC: the report post is one text for every reader,
// so its month is the same for all (the status page draws days in each reader's own time zone).
export interface Month {
  year: number;
  /** 1–12 */
  month: number;
}

export const monthOf = (ms: number): Month => {
  const d = new Date(ms);
  return {year: d.getUTCFullYear(), month: d.getUTCMonth() + 1};
};

/** The month before the one `ms` falls in. */
export function previousMonth(ms: number): Month {
  const m = monthOf(ms);
  return m.month === 1 ? {year: m.year - 1, month: 12} : {year: m.year, month: m.month - 1};
}

export const monthKey = (m: Month) => `${m.year}-${String(m.month).padStart(2, '0')}`;

const NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const monthLabel = (m: Month) => `${NAMES[m.month - 1]} ${m.year}`;
