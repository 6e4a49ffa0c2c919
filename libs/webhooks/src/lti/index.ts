export * from './lti-types';
export * from './lti-tool-key';
export * from './ags-client';
