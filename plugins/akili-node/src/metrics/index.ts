export { akiliMeter, httpStatusClass } from './meter';
export { AKILI_HTTP_SERVER_DURATION, akiliHttpMetrics } from './httpMetrics';
