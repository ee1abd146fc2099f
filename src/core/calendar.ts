// The service calendar: what "today" means for ages, "not in the future" checks and as-of
// defaults. It is a day in the service's time zone (Asia/Shanghai: 建档立卡 days are Beijing
// days), never the UTC day, which lags Beijing's by one for eight hours of every day. Dates reach
// SQL as parameters computed here, never as CURRENT_DATE (which follows the session's TimeZone).

/** The zone the service keeps its days in unless SERVICE_TIMEZONE says otherwise. */
export const DEFAULT_SERVICE_TIMEZONE = 'Asia/Shanghai';

export class ServiceCalendar {
  private readonly format: Intl.DateTimeFormat;

  /** `now` is injectable so that tests can stand at any instant (00:30 Beijing time, say). */
  constructor(
    readonly timeZone: string = DEFAULT_SERVICE_TIMEZONE,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  }

  /** Today in the service's time zone, as an ISO date (YYYY-MM-DD). */
  today(): string {
    // Days of every current zone begin on a whole minute: one formatting per minute is enough.
    const now = this.now();
    const minute = Math.floor(now.getTime() / 60_000);
    if (minute !== this.cachedMinute) {
      const parts = Object.fromEntries(this.format.formatToParts(now).map((p) => [p.type, p.value]));
      this.cachedDay = `${parts.year}-${parts.month}-${parts.day}`;
      this.cachedMinute = minute;
    }
    return this.cachedDay;
  }

  private cachedMinute = Number.NaN;
  private cachedDay = '';
}

/** The calendar of a process that was given none: Asia/Shanghai, the real clock. */
export const DEFAULT_CALENDAR = new ServiceCalendar();
