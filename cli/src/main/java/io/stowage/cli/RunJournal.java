package io.stowage.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.Stowage;
import io.stowage.cli.dvdcli.PluginLocator;
import io.stowage.model.Caller;
import io.stowage.model.UnmountRequest;
import io.stowage.spi.AtomicFiles;
import io.stowage.spi.Commands;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The record of one {@code stowage run}, kept in {@code runs/<caller>.json} under the state
 * directory from before its first mount until its last release: its caller, the launcher's and
 * the command's processes, the volumes it mounts and the bind mounts it makes on the host. A
 * run killed before it released them leaves its record; the next {@code stowage} command that
 * opens Stowage on the host finds that neither process lives any more and releases what the
 * record names ({@link #repairDeadRuns}). The core's own records repair a mount cut short; this
 * one releases the uses a dead run still holds. Not thread-safe.
 */
final class RunJournal {
  /** The directory of the records, under the state directory. */
  static final String DIRECTORY = "runs";
  private static final int FORMAT = 1;
  private static final String SUFFIX = ".json";
  /** How every run's caller, and so its record's name, starts: then the launcher's pid. */
  static final String CALLER_PREFIX = "stowage-run-";
  private static final Duration UMOUNT_TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * A volume the run mounts: through a service of this host's configuration, or a plugin.
   *
   * @param service the service's name, or empty
   * @param plugin the Docker plugin's name, or empty
   * @param volume the volume's name
   */
  record Entry(String service, String plugin, String volume) {}

  /**
   * A process, by its ID and start time, so that a reused process ID is not taken for it.
   *
   * @param pid the process ID, 0 for none
   * @param started its start time in epoch milliseconds, -1 when unknown
   */
  record ProcessId(long pid, long started) {
    static final ProcessId NONE = new ProcessId(0, -1);

    static ProcessId of(ProcessHandle handle) {
      return new ProcessId(handle.pid(),
          handle.info().startInstant().map(Instant::toEpochMilli).orElse(-1L));
    }

    /** Whether it still runs: a zombie, which Java counts as alive, has ended. */
    boolean alive() {
      return pid > 0 && ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
          .filter(h -> started < 0 || ProcessId.of(h).started() == started)
          .filter(h -> !zombie(pid)).isPresent();
    }

    private static boolean zombie(long pid) {
      try {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.substring(stat.lastIndexOf(')') + 1).strip().startsWith("Z");
      } catch (IOException e) {
        return true;
      }
    }
  }

  /**
   * The file's content.
   *
   * @param format the format version
   * @param caller the caller of the run's mounts
   * @param launcher the {@code stowage run} process
   * @param command the command's process, once started
   * @param volumes the volumes it mounts, in order
   * @param binds the bind mounts it makes on the host, each recorded before it is made
   */
  record Run(int format, String caller, ProcessId launcher, ProcessId command, List<Entry> volumes,
      List<String> binds) {}

  private final Path file;
  private Run run;

  private RunJournal(Path file, Run run) {
    this.file = file;
    this.run = run;
  }

  /** Records a run before its first mount. */
  static RunJournal begin(Path stateDirectory, Caller caller, List<Entry> volumes) {
    RunJournal journal = new RunJournal(
        stateDirectory.resolve(DIRECTORY).resolve(caller.value() + SUFFIX),
        new Run(FORMAT, caller.value(), ProcessId.of(ProcessHandle.current()), ProcessId.NONE,
            List.copyOf(volumes), List.of()));
    journal.write();
    return journal;
  }

  /** Records the command's process. */
  void commandStarted(ProcessHandle command) {
    run = new Run(FORMAT, run.caller(), run.launcher(), ProcessId.of(command), run.volumes(),
        run.binds());
    write();
  }

  /** Records a bind mount on the host before it is made. */
  void binding(Path target) {
    List<String> binds = new ArrayList<>(run.binds());
    binds.add(target.toString());
    run = new Run(FORMAT, run.caller(), run.launcher(), run.command(), run.volumes(), binds);
    write();
  }

  /** Removes the record once everything it names is released. */
  void finish() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the run record " + file, e);
    }
  }

  private void write() {
    try {
      Files.createDirectories(file.getParent());
      AtomicFiles.replaceDurably(file, JSON.writeValueAsBytes(run));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the run record " + file, e);
    }
  }

  /**
   * Releases what runs whose launcher and command are both gone still hold: the host bind
   * mounts they made, then their volumes' uses. A record is removed once all of it is released;
   * what fails is reported and tried again by the next command.
   *
   * @param stowage the open Stowage
   * @param environment where to look for Docker plugins
   * @param commands runs {@code umount}
   * @param err where to report repairs
   */
  static void repairDeadRuns(Stowage stowage, Map<String, String> environment,
      Commands commands, PrintWriter err) {
    Path dir = stowage.config().stateDirectory().resolve(DIRECTORY);
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      stream.forEach(files::add);
    } catch (IOException e) {
      err.println("stowage: warning: cannot list the run records in " + dir + ": " + e);
      return;
    }
    removeDeadWritersTemporaryFiles(dir);
    for (Path file : files) {
      Optional<Run> run = read(file, err);
      if (run.isEmpty() || run.get().launcher().alive() || run.get().command().alive()) {
        continue;
      }
      try {
        release(stowage, environment, commands, run.get());
        Files.deleteIfExists(file);
        err.println("stowage: released the volumes of run " + run.get().caller()
            + ", whose launcher (pid " + run.get().launcher().pid() + ") died");
      } catch (IOException | RuntimeException e) {
        err.println("stowage: warning: cannot yet release the volumes of the dead run "
            + run.get().caller() + " (" + file + "): " + e.getMessage());
      }
    }
    err.flush();
  }

  /**
   * Removes the temporary files of record writes that a killed launcher left
   * ({@code .stowage-run-<pid>-<hex>.json.<hex>.tmp}): garbage once that process is gone.
   */
  private static void removeDeadWritersTemporaryFiles(Path dir) {
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir,
        "." + CALLER_PREFIX + "*" + AtomicFiles.TEMP_SUFFIX)) {
      for (Path temp : stream) {
        String name = temp.getFileName().toString().substring(1 + CALLER_PREFIX.length());
        int dash = name.indexOf('-');
        if (dash > 0 && name.substring(0, dash).chars().allMatch(Character::isDigit)
            && !new ProcessId(Long.parseLong(name.substring(0, dash)), -1).alive()) {
          Files.deleteIfExists(temp);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Garbage left for another time; it holds nothing anyone needs.
    }
  }

  private static Optional<Run> read(Path file, PrintWriter err) {
    try {
      Run run = JSON.readValue(file.toFile(), Run.class);
      if (run.format() != FORMAT || run.caller() == null || run.launcher() == null) {
        err.println("stowage: warning: run record " + file + " is not of format " + FORMAT);
        return Optional.empty();
      }
      return Optional.of(run);
    } catch (IOException e) {
      err.println("stowage: warning: cannot read the run record " + file + ": " + e);
      return Optional.empty();
    }
  }

  private static void release(Stowage stowage, Map<String, String> environment,
      Commands commands, Run run) {
    Caller caller = Caller.of(run.caller());
    List<String> binds = new ArrayList<>(run.binds() == null ? List.of() : run.binds());
    for (int i = binds.size() - 1; i >= 0; i--) {
      ContainerBinds.unmountIfMounted(commands, Path.of(binds.get(i)), UMOUNT_TIMEOUT);
    }
    List<Entry> volumes = run.volumes() == null ? List.of() : run.volumes();
    for (int i = volumes.size() - 1; i >= 0; i--) {
      Entry entry = volumes.get(i);
      if (entry.service() != null && !entry.service().isEmpty()) {
        stowage.volumes(entry.service()).unmount(entry.volume(),
            UnmountRequest.caller(caller.value()));
      } else {
        new PluginVolumes(entry.plugin(), PluginLocator.fromEnvironment(environment)
            .find(entry.plugin(), RunCommand.PLUGIN_TIMEOUT)).unmount(entry.volume(), caller);
      }
    }
  }
}
