package io.stowage.driver.virtualbox;

import java.util.Locale;
import java.util.Set;

/**
 * What a machine's {@code MachineState} and a controller's {@code StorageBus} allow. States
 * VirtualBox may add later fall into {@link Kind#BUSY}, which refuses changes.
 */
final class MachineStates {
  /** What can be done to a machine's disks in a state. */
  enum Kind {
    /** A VM process runs: disks are hot-plugged under a {@code Shared} lock. */
    RUNNING,
    /** No VM process: disks are attached under a {@code Write} lock. */
    STOPPED,
    /** The machine's state is saved: its settings cannot change until it runs or is reset. */
    SAVED,
    /** A state in transition (taking a snapshot, setting up) or unknown: try again later. */
    BUSY
  }

  private static final Set<String> RUNNING = Set.of("Running", "Paused", "Stuck", "Teleporting",
      "LiveSnapshotting", "OnlineSnapshotting", "DeletingSnapshotOnline",
      "DeletingSnapshotPaused", "Starting", "Stopping", "Saving", "Restoring",
      "TeleportingPausedVM", "TeleportingIn", "FaultTolerantSyncing");
  private static final Set<String> STOPPED = Set.of("PoweredOff", "Aborted", "Teleported");
  private static final Set<String> SAVED = Set.of("Saved", "AbortedSaved");
  /** Buses whose controllers VirtualBox cannot hot-plug a disk on. */
  private static final Set<String> NO_HOT_PLUG = Set.of("IDE", "Floppy", "SCSI", "SAS");

  private MachineStates() {}

  /**
   * Classifies a machine state.
   *
   * @param state the {@code MachineState} name
   * @return what the state allows
   */
  static Kind kind(String state) {
    if (RUNNING.contains(state)) {
      return Kind.RUNNING;
    }
    if (STOPPED.contains(state)) {
      return Kind.STOPPED;
    }
    return SAVED.contains(state) ? Kind.SAVED : Kind.BUSY;
  }

  /**
   * Returns whether a running VM can be given a disk on a bus.
   *
   * @param bus the {@code StorageBus} name
   * @return false for IDE, floppy, SCSI and SAS controllers
   */
  static boolean hotPlugs(String bus) {
    return NO_HOT_PLUG.stream().noneMatch(b -> b.toLowerCase(Locale.ROOT)
        .equals(bus.toLowerCase(Locale.ROOT)));
  }
}
