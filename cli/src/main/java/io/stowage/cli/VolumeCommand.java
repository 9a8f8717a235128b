package io.stowage.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stowage.Stowage;
import io.stowage.VolumeService;
import io.stowage.cli.plugin.VolumeJson;
import io.stowage.exception.SnapshotNotFoundException;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.model.Attachment;
import io.stowage.model.ByteSize;
import io.stowage.model.Durations;
import io.stowage.model.Mount;
import io.stowage.model.MountRequest;
import io.stowage.model.Snapshot;
import io.stowage.model.UnmountRequest;
import io.stowage.model.Volume;
import io.stowage.model.VolumeOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;

/**
 * {@code stowage volume ...}: list, inspect, create, remove, attach, detach, mount, unmount,
 * path, resize.
 */
@Command(name = "volume", description = "Manage volumes of a storage driver.")
final class VolumeCommand implements Runnable {
  @ParentCommand
  StowageCommand top;

  @Option(names = "--driver", paramLabel = "<name>", scope = ScopeType.INHERIT,
      description = "Storage driver (default: the first configured).")
  String driver;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        top.spec.commandLine().getSubcommands().get("volume"), "a volume subcommand is required");
  }

  /** Runs an action on the volume service with the global options. */
  int with(Action action) {
    try (Stowage stowage = top.open()) {
      return action.run(stowage, top.volumes(stowage, driver), top.printer());
    }
  }

  /** What a subcommand does once Stowage is open. */
  @FunctionalInterface
  interface Action {
    int run(Stowage stowage, VolumeService volumes, Printer printer);
  }

  /** A volume as JSON ({@link VolumeJson}), with where it is mounted on this host. */
  static ObjectNode toJson(Printer p, VolumeService volumes, Volume v, Optional<Path> path) {
    ObjectNode node = VolumeJson.write(p.mapper().createObjectNode(), v, volumes.driverName());
    node.put("mountpoint", path.map(Path::toString).orElse(""));
    return node;
  }

  static VolumeOptions options(Stowage stowage, VolumeService volumes, List<String> opts,
      List<String> volumeopts) {
    List<String> items = new ArrayList<>(opts);
    items.addAll(volumeopts);
    return VolumeOptions.parsePairs(items, StowageCommand.driverKeys(stowage, volumes));
  }

  /** {@code stowage volume ls}. */
  @Command(name = "ls", aliases = "list", description = "List the driver's volumes.")
  static final class Ls implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    VolumeCommand parent;

    @Override
    public Integer call() {
      return parent.with((stowage, volumes, p) -> {
        List<Volume> list = volumes.list();
        if (p.isJson()) {
          ArrayNode array = p.mapper().createArrayNode();
          list.forEach(v -> array.add(toJson(p, volumes, v, volumes.path(v.name().value()))));
          p.json(array);
        } else {
          List<List<String>> rows = new ArrayList<>();
          for (Volume v : list) {
            rows.add(List.of(v.name().value(), v.id().value(), v.size().toString(),
                v.volumeType().orElse("-"), v.status().raw(),
                v.attachments().isEmpty() ? "-" : v.attachments().stream()
                    .map(a -> a.instanceId().value()).collect(Collectors.joining(",")),
                volumes.path(v.name().value()).map(Path::toString).orElse("-")));
          }
          p.table(List.of("NAME", "ID", "SIZE", "TYPE", "STATUS", "ATTACHED", "MOUNTPOINT"),
              rows);
        }
        return ExitCodes.OK;
      });
    }
  }

  /** {@code stowage volume inspect}. */
  @Command(name = "inspect", description = "Show one volume in detail.")
  static final class Inspect implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    VolumeCommand parent;

    @Parameters(paramLabel = "<volume>", description = "Volume name or ID.")
    String volume;

    @Override
    public Integer call() {
      return parent.with((stowage, volumes, p) -> {
        Volume v = volumes.find(volume).orElseThrow(() -> new VolumeNotFoundException(volume));
        ObjectNode node = toJson(p, volumes, v, volumes.path(volume));
        if (p.isJson()) {
          p.json(node);
        } else {
          List<List<String>> rows = new ArrayList<>();
          node.properties().forEach(e -> rows.add(List.of(e.getKey(),
              e.getKey().equals("size") ? v.size().toString()
                  : e.getValue().isValueNode() ? e.getValue().asText()
                  : e.getValue().toString())));
          p.table(List.of("FIELD", "VALUE"), rows);
        }
        return ExitCodes.OK;
      });
    }
  }

  /** {@code stowage volume create}. */
  @Command(name = "create", description = "Create a volume.")
  static final class Create implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    VolumeCommand parent;

    @Parameters(paramLabel = "<name>", description = "The new volume's name.")
    String name;

    @Option(names = "--opt", paramLabel = "<key=value>",
        description = "Volume option such as size=5, iops=150, volumetype=io1 (repeatable).")
    List<String> opts = new ArrayList<>();

    @Option(names = {"--volumeopts", "--volumeOpts"}, paramLabel = "<key=value[,...]>",
        description = "dvdcli-style options, comma-separated (repeatable).")
    List<String> volumeopts = new ArrayList<>();

    @Option(names = "--snapshot", paramLabel = "<snapshot>",
        description = "Restore it from this snapshot (ID or name).")
    String snapshot;

    @Override
    public Integer call() {
      return parent.with((stowage, volumes, p) -> {
        List<String> items = new ArrayList<>(opts);
        if (snapshot != null) {
          // Resolved here, so that a name several snapshots share is refused, not guessed.
          Snapshot from = volumes.snapshots().find(snapshot)
              .orElseThrow(() -> new SnapshotNotFoundException(snapshot));
          items.add("snapshotid=" + from.id().value());
        }
        Volume v = volumes.create(name, options(stowage, volumes, items, volumeopts));
        if (p.isJson()) {
          p.json(toJson(p, volumes, v, Optional.empty()));
        } else {
          p.line(v.name().value());
        }
        return ExitCodes.OK;
      });
    }
  }

  /** {@code stowage volume rm}. */
  @Command(name = "rm", aliases = "remove", description = "Remove a volume.")
  static final class Rm implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    VolumeCommand parent;

    @Parameters(paramLabel = "<volume>", description = "Volume name or ID.")
    String volume;

    @Option(names = "--force", description = "Detach it from every instance first.")
    boolean force;

    @Override
    public Integer call() {
      return parent.with((stowage, volumes, p) -> {
        volumes.remove(volume, force);
        return ExitCodes.OK;
      });
    }
  }

  /** {@code stowage volume attach}. */
  @Command(name = "attach",
      description = "Attach a volume to this instance without mounting it; prints the device.")
  static final class Attach implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    VolumeCommand parent;

    @Parameters(paramLabel = "<volume>", description = "Volume name or ID.")
    String volume;

    @Option(names = "--preempt", description = "Take it over from another instance.")
    boolean preempt;

    @Override
    public Integer call() {
      return parent.with((stowage, volumes, p) -> {
        Attachment a = volumes.attach(volume, preempt);
        if (p.isJson()) {
          p.json(p.mapper().createObjectNode().put("volumeId", a.volumeId().value())
              .put("instanceId", a.instanceId().value()).put("device", a.device()));
        } else {
          p.line(a.device());
        }
        return ExitCodes.OK;
      });
    }
  }

  /** {@code stowage volume detach}. */
  @Command(name = "detach", description = "Detach a volume from this instance.")
  static final class Detach implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    VolumeCommand parent;

    @Parameters(paramLabel = "<volume>", description = "Volume name or ID.")
    String volume;

    @Option(names = "--force", description = "Detach even if it is mounted here.")
    boolean force;

    @Override
    public Integer call() {
      return parent.with((stowage, volumes, p) -> {
        volumes.detach(volume, force);
        return ExitCodes.OK;
      });
    }
  }

  /** {@code stowage volume mount}. */
  @Command(name = "mount",
      description = "Mount a volume (creating, attaching and formatting it as needed);"
          + " prints the data directory.")
  static final class MountCmd implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    VolumeCommand parent;

    @Parameters(paramLabel = "<volume>", description = "Volume name or ID.")
    String volume;

    @Option(names = "--caller", paramLabel = "<id>",
        description = "Who uses the mount; uses are counted per caller (default: anonymous).")
    String caller;

    @Option(names = "--preempt", negatable = true,
        description = "Take it over from another instance (default: configured).")
    Boolean preempt;

    @Option(names = "--timeout", paramLabel = "<duration>",
        description = "Longest wait, such as 90s, 1m30s, PT90S or 90 (seconds)"
            + " (default: the configured attach timeout).")
    String timeout;

    @Option(names = "--opt", paramLabel = "<key=value>",
        description = "Option for an implicit create or formatting (repeatable).")
    List<String> opts = new ArrayList<>();

    @Option(names = "--read-only", negatable = true,
        description = "Mount read-only, or read-write with --no-read-only (default: as the"
            + " volume was created, else read-write).")
    Boolean readOnly;

    @Option(names = "--mount-option", paramLabel = "<option>",
        description = "Mount option from the allow-list, such as noatime or nodev"
            + " (repeatable).")
    List<String> mountOptions = new ArrayList<>();

    @Option(names = {"--volumeopts", "--volumeOpts"}, paramLabel = "<key=value[,...]>",
        description = "dvdcli-style options, comma-separated (repeatable).")
    List<String> volumeopts = new ArrayList<>();

    @Override
    public Integer call() {
      return parent.with((stowage, volumes, p) -> {
        MountRequest.Builder b = MountRequest.builder()
            .options(options(stowage, volumes, opts, volumeopts));
        if (caller != null) {
          b.caller(caller);
        }
        if (preempt != null) {
          b.preempt(preempt);
        }
        if (timeout != null) {
          b.timeout(Durations.parsePositive("--timeout", timeout));
        }
        if (readOnly != null) {
          b.readOnly(readOnly);
        }
        mountOptions.forEach(b::mountOption);
        Mount m = volumes.mount(volume, b.build());
        if (p.isJson()) {
          p.json(p.mapper().createObjectNode().put("name", m.volume().name().value())
              .put("path", m.path().toString()).put("mountPoint", m.mountPoint().toString())
              .put("device", m.device().toString()).put("created", m.created())
              .put("formatted", m.formatted()));
        } else {
          p.line(m.path().toString());
        }
        return ExitCodes.OK;
      });
    }
  }

  /** {@code stowage volume unmount}. */
  @Command(name = "unmount", aliases = "umount",
      description = "Remove a caller's use of a volume; the last use unmounts and detaches it.")
  static final class Unmount implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    VolumeCommand parent;

    @Parameters(paramLabel = "<volume>", description = "Volume name or ID.")
    String volume;

    @Option(names = "--caller", paramLabel = "<id>", description = "Whose use to remove.")
    String caller;

    @Option(names = "--force",
        description = "Unmount and detach even when other callers still use it.")
    boolean force;

    @Override
    public Integer call() {
      return parent.with((stowage, volumes, p) -> {
        UnmountRequest r = caller == null ? UnmountRequest.DEFAULT : UnmountRequest.caller(caller);
        volumes.unmount(volume, force ? r.withIgnoreUsedCount(true) : r);
        return ExitCodes.OK;
      });
    }
  }

  /** {@code stowage volume path}. */
  @Command(name = "path", description = "Print the data directory of a volume mounted on this host"
          + " (exit 3 when it is not mounted).")
  static final class PathCmd implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    VolumeCommand parent;

    @Parameters(paramLabel = "<volume>", description = "Volume name or ID.")
    String volume;

    @Override
    public Integer call() {
      return parent.with((stowage, volumes, p) -> {
        Optional<Path> path = volumes.path(volume);
        if (p.isJson()) {
          p.json(p.mapper().createObjectNode().put("name", volume)
              .put("path", path.map(Path::toString).orElse("")));
        } else {
          path.ifPresent(x -> p.line(x.toString()));
        }
        if (path.isEmpty()) {
          throw new CliException(ExitCodes.NOT_FOUND, "volume \"" + volume
              + "\" is not mounted on this host");
        }
        return ExitCodes.OK;
      });
    }
  }

  /** {@code stowage volume resize}. */
  @Command(name = "resize", description = "Grow a volume to a size; a mounted volume's file"
      + " system grows with it, without an unmount.")
  static final class Resize implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    VolumeCommand parent;

    @Parameters(index = "0", paramLabel = "<volume>", description = "Volume name or ID.")
    String volume;

    @Parameters(index = "1", paramLabel = "<size>",
        description = "The new size: GiB, or with a unit such as 512MiB, 2GiB, 1TiB.")
    String size;

    @Override
    public Integer call() {
      ByteSize newSize = ByteSize.parse(size);
      return parent.with((stowage, volumes, p) -> {
        Volume v = volumes.resize(volume, newSize);
        if (p.isJson()) {
          p.json(toJson(p, volumes, v, volumes.path(v.name().value())));
        } else {
          p.line(v.size().toString());
        }
        return ExitCodes.OK;
      });
    }
  }
}
