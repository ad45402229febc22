export * from './image-reference';
export * from './provenance';
export * from './waiver';
export * from './defaults';
