package io.stowage.internal.config;

/** Where settings come from, lowest precedence first: a later layer overrides an earlier one. */
enum Layer {
  /** The configuration file, or YAML text given in its place. */
  FILE,
  /** Environment variables. */
  ENVIRONMENT,
  /** Settings given in code. */
  CODE
}
