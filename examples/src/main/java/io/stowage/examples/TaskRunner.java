package io.stowage.examples;

import io.stowage.Stowage;
import io.stowage.VolumeService;
import io.stowage.model.Mount;
import io.stowage.model.MountRequest;
import io.stowage.model.UnmountRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A long-running service that embeds Stowage and runs tasks that share volumes. Each task is a
 * caller: starting it mounts its volumes for it, stopping it releases its uses, and a volume
 * stays mounted while any task uses it. Stowage keeps the uses in the host's state, so after
 * the service restarts, a volume another task still uses stays mounted, and a task it knew is
 * stopped as if nothing had happened.
 *
 * <p>Thread-safe: tasks start and stop from any thread; Stowage serialises the calls on one
 * volume.
 */
public final class TaskRunner implements AutoCloseable {
  private final Stowage stowage;
  private final VolumeService volumes;
  private final Map<String, List<String>> running = new ConcurrentHashMap<>();

  /**
   * Creates a runner that mounts through the default service.
   *
   * @param stowage the open Stowage, which the runner closes
   */
  public TaskRunner(Stowage stowage) {
    this.stowage = stowage;
    this.volumes = stowage.volumes();
  }

  /**
   * Starts a task: mounts each of its volumes for it, all or none. Starting a task that is
   * already running mounts nothing new: a mount is idempotent per caller.
   *
   * @param task the task's ID, which is the caller of its mounts
   * @param volumeNames the volumes it uses
   * @return where each volume is, by name
   */
  public Map<String, Path> start(String task, List<String> volumeNames) {
    Map<String, Path> paths = new LinkedHashMap<>();
    List<String> mounted = new ArrayList<>();
    try {
      for (String volume : volumeNames) {
        Mount mount = volumes.mount(volume, MountRequest.builder().caller(task).build());
        mounted.add(volume);
        paths.put(volume, mount.path());
      }
    } catch (RuntimeException e) {
      release(task, mounted);
      throw e;
    }
    running.put(task, List.copyOf(volumeNames));
    return paths;
  }

  /**
   * Stops a task: releases its use of each of its volumes; a volume that another task uses
   * stays mounted.
   *
   * @param task the task's ID
   * @param volumeNames the volumes it used; the runner knows them for the tasks it started
   *     itself, and a restarted runner is told them (from its own task records)
   */
  public void stop(String task, List<String> volumeNames) {
    running.remove(task);
    release(task, volumeNames);
  }

  /**
   * Stops a task this runner started.
   *
   * @param task the task's ID
   */
  public void stop(String task) {
    List<String> volumeNames = running.get(task);
    if (volumeNames != null) {
      stop(task, volumeNames);
    }
  }

  /**
   * Returns where a volume is mounted on this host, if it is.
   *
   * @param volume the volume's name
   * @return its data directory while any task uses it
   */
  public java.util.Optional<Path> path(String volume) {
    return volumes.path(volume);
  }

  private void release(String task, List<String> volumeNames) {
    for (String volume : volumeNames) {
      volumes.unmount(volume, UnmountRequest.caller(task));
    }
  }

  /** Stops the runner; its tasks' volumes stay mounted for them. */
  @Override
  public void close() {
    stowage.close();
  }
}
