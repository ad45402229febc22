export * from './control';
export * from './catalogue';
export * from './report-model';
export * from './compliance-report';
export * from './collector';
export { ReportFormat } from './report-format';
