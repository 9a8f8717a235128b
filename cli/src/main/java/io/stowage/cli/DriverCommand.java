package io.stowage.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stowage.DriverRegistry;
import io.stowage.config.StowageConfig;
import io.stowage.exception.StowageException;
import io.stowage.model.Capability;
import io.stowage.spi.StorageDriverProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code stowage driver ls}. */
@Command(name = "driver", description = "Installed storage drivers.")
final class DriverCommand {
  @ParentCommand
  StowageCommand top;

  /** {@code stowage driver ls}. */
  @Command(name = "ls", aliases = "list",
      description = "List the installed drivers, their capabilities and whether they are"
          + " configured.")
  static final class Ls implements Callable<Integer> {
    @ParentCommand
    DriverCommand parent;

    @Override
    public Integer call() {
      DriverRegistry registry = DriverRegistry.discover(Main.class.getClassLoader());
      Set<String> configured = Set.of();
      try {
        StowageConfig config = parent.top.builder().configuration();
        parent.top.warn(config);
        configured = Set.copyOf(config.storageDrivers());
      } catch (StowageException e) {
        parent.top.err().println("stowage: warning: the configuration could not be loaded ("
            + e.getMessage() + "); listing installed drivers only");
      }
      Printer p = parent.top.printer();
      if (p.isJson()) {
        ArrayNode array = p.mapper().createArrayNode();
        for (StorageDriverProvider d : registry.providers()) {
          ObjectNode node = array.addObject();
          node.put("name", d.name());
          node.put("configured", configured.contains(d.name()));
          ArrayNode caps = node.putArray("capabilities");
          names(d.capabilities()).forEach(caps::add);
          ArrayNode opts = node.putArray("volumeOptions");
          new TreeSet<>(d.volumeOptionKeys()).forEach(opts::add);
        }
        p.json(array);
      } else {
        List<List<String>> rows = new ArrayList<>();
        for (StorageDriverProvider d : registry.providers()) {
          rows.add(List.of(d.name(), configured.contains(d.name()) ? "yes" : "no",
              String.join(",", names(d.capabilities())),
              d.volumeOptionKeys().isEmpty() ? "-"
                  : String.join(",", new TreeSet<>(d.volumeOptionKeys()))));
        }
        p.table(List.of("NAME", "CONFIGURED", "CAPABILITIES", "EXTRA OPTIONS"), rows);
      }
      registry.problems().forEach(pr -> parent.top.err().println("stowage: warning: " + pr));
      return ExitCodes.OK;
    }

    private static List<String> names(Set<Capability> caps) {
      return caps.stream().map(Enum::name).sorted().collect(Collectors.toList());
    }
  }
}
