/**
 * The effective configuration a program reads: {@link io.stowage.config.StowageConfig}, the
 * REX-Ray 0.3, libStorage and Stowage spellings of files, environment and code merged onto one
 * model. Loading it is the core's business ({@link io.stowage.Stowage#builder()}).
 */
package io.stowage.config;
