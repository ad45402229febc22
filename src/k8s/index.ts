export * from './defaults';
export * from './log-shipping';
export * from './network';
export * from './pod-template';
export * from './model-service-props';
export * from './model-service';
export * from './training-job-props';
export * from './training-job';
