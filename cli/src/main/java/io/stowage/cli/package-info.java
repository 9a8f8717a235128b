/**
 * The {@code stowage} command: volumes, configuration, drivers, a host check and the Docker
 * volume plugin service, with table output for people, JSON for programs and exit codes by
 * kind of failure ({@link io.stowage.cli.ExitCodes}).
 */
package io.stowage.cli;
