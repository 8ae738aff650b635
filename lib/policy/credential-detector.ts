// The detector lives in core: the policy rule and the reports (diff, review redaction) share it.
export * from '../core/credentials';
