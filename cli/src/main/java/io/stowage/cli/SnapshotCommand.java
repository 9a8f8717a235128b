package io.stowage.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stowage.SnapshotService;
import io.stowage.Stowage;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.SnapshotNotFoundException;
import io.stowage.model.Durations;
import io.stowage.model.Snapshot;
import io.stowage.model.SnapshotRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;

/** {@code stowage snapshot ...}: list, inspect, create, remove and copy snapshots. */
@Command(name = "snapshot", description = "Manage snapshots of a storage driver's volumes.")
final class SnapshotCommand implements Runnable {
  /** How long {@code --wait} waits by default. */
  static final Duration DEFAULT_WAIT = Duration.ofMinutes(30);

  @ParentCommand
  StowageCommand top;

  @Option(names = "--driver", paramLabel = "<name>", scope = ScopeType.INHERIT,
      description = "Storage driver (default: the first configured).")
  String driver;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        top.spec.commandLine().getSubcommands().get("snapshot"),
        "a snapshot subcommand is required");
  }

  /** Runs an action on the snapshot service with the global options. */
  int with(Action action) {
    try (Stowage stowage = top.open()) {
      return action.run(top.volumes(stowage, driver).snapshots(), top.printer());
    }
  }

  /** What a subcommand does once Stowage is open. */
  @FunctionalInterface
  interface Action {
    int run(SnapshotService snapshots, Printer printer);
  }

  /** A snapshot as JSON, with {@code size} in GiB like a volume's. */
  static ObjectNode toJson(Printer p, Snapshot s) {
    ObjectNode node = p.mapper().createObjectNode();
    node.put("name", s.name().value());
    node.put("id", s.id().value());
    s.volumeId().ifPresent(v -> node.put("volumeId", v.value()));
    node.put("size", s.size().toGiBRoundedUp());
    node.put("sizeBytes", s.size().bytes());
    node.put("status", s.status().raw());
    s.region().ifPresent(r -> node.put("region", r));
    s.createdAt().ifPresent(t -> node.put("createdAt", t.toString()));
    ObjectNode tags = node.putObject("tags");
    new TreeMap<>(s.tags()).forEach(tags::put);
    ObjectNode fields = node.putObject("fields");
    new TreeMap<>(s.fields()).forEach(fields::put);
    return node;
  }

  /** Prints one snapshot: JSON, or a table of its fields. */
  static void print(Printer p, Snapshot s) {
    ObjectNode node = toJson(p, s);
    if (p.isJson()) {
      p.json(node);
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    node.properties().forEach(e -> rows.add(List.of(e.getKey(),
        e.getKey().equals("size") ? s.size().toString()
            : e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString())));
    p.table(List.of("FIELD", "VALUE"), rows);
  }

  /** Prints a new snapshot: as JSON, or its ID alone. */
  static int printId(Printer p, Snapshot s) {
    if (p.isJson()) {
      p.json(toJson(p, s));
    } else {
      p.line(s.id().value());
    }
    return ExitCodes.OK;
  }

  /** Reads {@code --tag key=value} items. */
  static Map<String, String> tags(List<String> items) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (String item : items) {
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw new InvalidArgumentException("--tag", item, "must be key=value");
      }
      tags.put(item.substring(0, eq), item.substring(eq + 1));
    }
    return tags;
  }

  /** {@code stowage snapshot ls}. */
  @Command(name = "ls", aliases = "list", description = "List the driver's snapshots.")
  static final class Ls implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    SnapshotCommand parent;

    @Override
    public Integer call() {
      return parent.with((snapshots, p) -> {
        List<Snapshot> list = snapshots.list();
        if (p.isJson()) {
          ArrayNode array = p.mapper().createArrayNode();
          list.forEach(s -> array.add(toJson(p, s)));
          p.json(array);
        } else {
          List<List<String>> rows = new ArrayList<>();
          for (Snapshot s : list) {
            rows.add(List.of(s.name().value(), s.id().value(),
                s.volumeId().map(v -> v.value()).orElse("-"), s.size().toString(),
                s.status().raw(), s.region().orElse("-")));
          }
          p.table(List.of("NAME", "ID", "VOLUME", "SIZE", "STATUS", "REGION"), rows);
        }
        return ExitCodes.OK;
      });
    }
  }

  /** {@code stowage snapshot inspect}. */
  @Command(name = "inspect", description = "Show one snapshot in detail.")
  static final class Inspect implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    SnapshotCommand parent;

    @Parameters(paramLabel = "<snapshot>", description = "Snapshot ID or name.")
    String snapshot;

    @Override
    public Integer call() {
      return parent.with((snapshots, p) -> {
        print(p, snapshots.find(snapshot)
            .orElseThrow(() -> new SnapshotNotFoundException(snapshot)));
        return ExitCodes.OK;
      });
    }
  }

  /** {@code stowage snapshot create}. */
  @Command(name = "create", description = "Take a snapshot of a volume (its file system frozen"
      + " while the back end takes it, when it is mounted here); prints the snapshot's ID.")
  static final class Create implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    SnapshotCommand parent;

    @Parameters(paramLabel = "<volume>", description = "Volume name or ID.")
    String volume;

    @Option(names = "--name", paramLabel = "<name>",
        description = "The snapshot's name (default: the volume's).")
    String name;

    @Option(names = "--tag", paramLabel = "<key=value>", description = "Tag (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--wait", description = "Wait until the snapshot's data is complete.")
    boolean await;

    @Option(names = "--timeout", paramLabel = "<duration>",
        description = "Longest wait with --wait, such as 10m (default: 30m).")
    String timeout;

    @Override
    public Integer call() {
      Duration wait = timeout == null ? DEFAULT_WAIT
          : Durations.parsePositive("--timeout", timeout);
      Map<String, String> tagged = tags(tags);
      return parent.with((snapshots, p) -> {
        SnapshotRequest request = SnapshotRequest.named(name == null ? volume : name)
            .withTags(tagged);
        Snapshot s = snapshots.create(volume, request);
        if (await) {
          s = snapshots.await("id:" + s.id().value(), wait);
        }
        return printId(p, s);
      });
    }
  }

  /** {@code stowage snapshot rm}. */
  @Command(name = "rm", aliases = "remove", description = "Remove a snapshot.")
  static final class Rm implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    SnapshotCommand parent;

    @Parameters(paramLabel = "<snapshot>", description = "Snapshot ID or name.")
    String snapshot;

    @Override
    public Integer call() {
      return parent.with((snapshots, p) -> {
        snapshots.remove(snapshot);
        return ExitCodes.OK;
      });
    }
  }

  /** {@code stowage snapshot copy}. */
  @Command(name = "copy", description = "Copy a complete snapshot to another region; prints the"
      + " copy's ID.")
  static final class Copy implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    SnapshotCommand parent;

    @Parameters(paramLabel = "<snapshot>", description = "Snapshot ID or name.")
    String snapshot;

    @Option(names = "--region", paramLabel = "<region>", required = true,
        description = "The region to copy to.")
    String region;

    @Option(names = "--name", paramLabel = "<name>",
        description = "The copy's name (default: the snapshot's).")
    String name;

    @Option(names = "--tag", paramLabel = "<key=value>", description = "Tag (repeatable).")
    List<String> tags = new ArrayList<>();

    @Override
    public Integer call() {
      Map<String, String> tagged = tags(tags);
      return parent.with((snapshots, p) -> {
        String copyName = name != null ? name : snapshots.find(snapshot)
            .orElseThrow(() -> new SnapshotNotFoundException(snapshot)).name().value();
        return printId(p, snapshots.copy(snapshot, region,
            SnapshotRequest.named(copyName).withTags(tagged)));
      });
    }
  }
}
