/**
 * The Docker volume plugin service: {@link io.stowage.cli.plugin.PluginServer} answers the
 * Docker volume plugin protocol ({@code /Plugin.Activate}, {@code /VolumeDriver.*}) over HTTP
 * on a unix domain socket, on top of one {@link io.stowage.VolumeService}.
 */
package io.stowage.cli.plugin;
