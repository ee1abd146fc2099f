import { DEFAULT_CALENDAR, ServiceCalendar } from '../../src/core/calendar';
import { ConfigError, loadConfig } from '../../src/core/config';

// Issue 7 §7, "Days are Beijing days": at 00:30 in Beijing it is still yesterday in UTC.

const HALF_PAST_MIDNIGHT_BEIJING = new Date('2026-03-01T16:30:00Z');

describe('service calendar', () => {
  it('is Asia/Shanghai by default: 00:30 on 2 March in Beijing is 2 March, though UTC says 1 March', () => {
    expect(new ServiceCalendar(undefined, () => HALF_PAST_MIDNIGHT_BEIJING).today()).toBe('2026-03-02');
    expect(new ServiceCalendar('UTC', () => HALF_PAST_MIDNIGHT_BEIJING).today()).toBe('2026-03-01');
    expect(new ServiceCalendar('Asia/Shanghai', () => new Date('2026-03-01T15:59:59Z')).today()).toBe('2026-03-01');
  });

  it('turns the day at Beijing midnight on the default calendar, on the process clock', () => {
    jest.useFakeTimers({ now: HALF_PAST_MIDNIGHT_BEIJING, doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'queueMicrotask'] });
    try {
      expect(DEFAULT_CALENDAR.today()).toBe('2026-03-02');
    } finally {
      jest.useRealTimers();
    }
  });

  it('takes its zone from SERVICE_TIMEZONE and refuses a zone that does not exist', () => {
    expect(loadConfig({}).SERVICE_TIMEZONE).toBe('Asia/Shanghai');
    expect(loadConfig({ SERVICE_TIMEZONE: 'Asia/Urumqi' }).SERVICE_TIMEZONE).toBe('Asia/Urumqi');
    expect(() => loadConfig({ SERVICE_TIMEZONE: 'Mars/Olympus_Mons' })).toThrow(ConfigError);
  });
});
