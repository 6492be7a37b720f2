/** Canary analysis: the pure judge (judge.ts, stats.ts) and the sources that feed it (sources.ts). */
export { judge, sideStats, stepVerdict, plannedMeasurements, perTestAlpha, MIN_LATENCY_SAMPLES, type Verdict, type NoDataPolicy, type Probe, type SideStats, type MetricReading, type Gates, type Judgement, type Comparison, type MeasurementInput, type AlarmReading, type CloudWatchReading } from './judge.js';
export { CloudWatchSource, loadBalancerDimension, targetGroupDimension, periodFor, type CloudWatchOptions } from './cloudwatch.js';
export { percentile, normalCdf, normalUpper, mannWhitneyU, proportionGreaterP, type MannWhitney } from './stats.js';
export { Prober, readMetric, prometheusValue, jsonValue, metricsSchema, type MetricSpec, type ProberOptions, type ReadOptions } from './sources.js';
