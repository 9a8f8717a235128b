/**
 * Mesos and Marathon: {@link io.stowage.mesos.DvdiVolumes} reads the volumes a task asks for
 * through mesos-module-dvdi's {@code DVDI_VOLUME_*} environment or a Marathon app's external
 * volumes, with those tools' rules, into {@link io.stowage.mesos.DvdiVolume}s that a program
 * mounts through the services they name.
 */
package io.stowage.mesos;
