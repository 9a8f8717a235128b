/**
 * Loading configuration from YAML files, the environment and code into a typed {@link io.stowage.config.StowageConfig}; the REX-Ray 0.3, libStorage and Stowage spellings map onto one model.
 */
package io.stowage.config;
