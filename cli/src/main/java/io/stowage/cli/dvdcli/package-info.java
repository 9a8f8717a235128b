/**
 * A {@code dvdcli}-compatible command ({@link io.stowage.cli.dvdcli.DvdCli}): dvdcli 0.2's
 * subcommands, flags, outputs and exit codes, talking to any Docker volume plugin found the
 * way Docker finds it ({@link io.stowage.cli.dvdcli.PluginLocator}).
 */
package io.stowage.cli.dvdcli;
