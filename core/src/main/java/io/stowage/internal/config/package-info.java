/**
 * Loading configuration from YAML files, the environment and code into a typed
 * {@link io.stowage.config.StowageConfig}, and binding driver sections onto settings records.
 * Internal: not part of the API.
 */
package io.stowage.internal.config;
