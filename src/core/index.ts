export * from './image-reference';
export * from './provenance';
export * from './waiver';
export * from './defaults';
export * from './image-lock';
export * from './scan-report';
export * from './model-artifact';
