package io.stowage.examples;

import io.stowage.Stowage;
import io.stowage.VolumeService;
import io.stowage.driver.fake.SimulatedHost;
import io.stowage.exception.VolumeInUseException;
import io.stowage.model.Attachment;
import io.stowage.model.InstanceId;
import io.stowage.model.Volume;
import io.stowage.model.VolumeOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scheduler that places tasks on its agents and attaches each task's volume to the agent's
 * instance before the task starts there, with {@link VolumeService#attach(String, InstanceId,
 * boolean)}: the control plane only, as a cluster manager uses it. When an agent is lost, the
 * task moves to another agent and its volume follows by preemption. The agents are simulated
 * instances of the fake back end; the scheduler runs on an instance of its own and mounts
 * nothing, so no root is needed.
 */
public final class VolumeScheduler {
  /** The agents the scheduler places tasks on: instances of the back end. */
  public static final List<InstanceId> AGENTS = List.of(InstanceId.of("agent-1"),
      InstanceId.of("agent-2"), InstanceId.of("agent-3"));

  private final PrintStream out;
  private final Path work;

  /**
   * Creates the scheduler.
   *
   * @param out where to print what it does
   * @param work an empty directory for the back end and the scheduler's state
   */
  public VolumeScheduler(PrintStream out, Path work) {
    this.out = out;
    this.work = work;
  }

  /**
   * Runs the scheduler in a new temporary directory.
   *
   * @param args ignored
   * @throws IOException when the directory cannot be created
   */
  public static void main(String[] args) throws IOException {
    new VolumeScheduler(System.out, Files.createTempDirectory("stowage-scheduler")).run();
  }

  /**
   * Places two tasks, loses the first one's agent, moves the task and its volume to another
   * agent, then stops both and removes their volumes.
   *
   * @return the instance each volume was attached to after the move, by volume name
   */
  public Map<String, String> run() {
    try (Stowage stowage = Stowage.builder()
        .host(new SimulatedHost(work.resolve("scheduler-host")))
        .setting("stowage.storageDrivers", "fake")
        .setting("fake.root", work.resolve("backend"))
        .setting("fake.instanceId", "scheduler")
        .setting("stowage.state.directory", work.resolve("state"))
        .setting("stowage.volume.mount.root", work.resolve("volumes"))
        .build()) {
      VolumeService volumes = stowage.volumes();
      Map<String, InstanceId> placement = new LinkedHashMap<>();
      placement.put("pgdata", AGENTS.get(0));
      placement.put("redis", AGENTS.get(1));
      placement.forEach((volume, agent) -> {
        volumes.create(volume, VolumeOptions.parse(Map.of("size", "1")));
        place(volumes, volume, agent);
      });

      // agent-1 stops answering: its task moves to agent-3, and the volume must follow.
      InstanceId lost = AGENTS.get(0);
      InstanceId next = AGENTS.get(2);
      out.printf("lost     %s; moving pgdata to %s%n", lost, next);
      try {
        volumes.attach("pgdata", next, false);
      } catch (VolumeInUseException e) {
        out.printf("refused  %s%n", e.getMessage());
        Attachment taken = volumes.attach("pgdata", next, true);
        out.printf("preempted pgdata from %s: attached to %s%n", lost, taken.instanceId());
        placement.put("pgdata", next);
      }

      Map<String, String> attachedTo = new LinkedHashMap<>();
      for (String name : placement.keySet()) {
        Volume volume = volumes.find(name).orElseThrow();
        attachedTo.put(name, volume.attachments().get(0).instanceId().value());
        out.printf("list     %s attached to %s%n", name, volume.attachments().stream()
            .map(a -> a.instanceId().value()).toList());
      }

      placement.forEach((volume, agent) -> {
        volumes.detach(volume, agent, false);
        volumes.remove(volume, false);
        out.printf("stopped  the task of %s on %s: detached and removed %s%n", volume, agent,
            volume);
      });
      return attachedTo;
    }
  }

  private void place(VolumeService volumes, String volume, InstanceId agent) {
    Attachment attachment = volumes.attach(volume, agent, false);
    out.printf("placed   the task of %s on %s (device %s there)%n", volume,
        attachment.instanceId(), attachment.device());
  }
}
