// The YAML writer is shared by every floor (config files render YAML too): it lives in lib/core/serialize.ts.
export * from '../core/serialize';
