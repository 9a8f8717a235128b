package io.stowage.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stowage.config.StowageConfig;
import io.stowage.exception.ConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code stowage config show|check}. */
@Command(name = "config", description = "Show or check the effective configuration.")
final class ConfigCommand {
  @ParentCommand
  StowageCommand top;

  /** {@code stowage config show}. */
  @Command(name = "show",
      description = "Print every effective setting with its source; secrets are masked."
          + " Opens no driver.")
  static final class Show implements Callable<Integer> {
    @ParentCommand
    ConfigCommand parent;

    @Override
    public Integer call() {
      StowageConfig config = parent.top.builder().configuration();
      parent.top.warn(config);
      Printer p = parent.top.printer();
      List<StowageConfig.EffectiveSetting> settings = config.settings();
      if (p.isJson()) {
        ArrayNode array = p.mapper().createArrayNode();
        settings.forEach(s -> array.addObject().put("key", s.key()).put("value", s.value())
            .put("source", s.source()));
        p.json(array);
      } else {
        List<List<String>> rows = new ArrayList<>();
        settings.forEach(s -> rows.add(List.of(s.key(), s.value(), s.source())));
        p.table(List.of("KEY", "VALUE", "SOURCE"), rows);
      }
      return ExitCodes.OK;
    }
  }

  /** {@code stowage config check}. */
  @Command(name = "check",
      description = "Load and check the configuration, opening no driver; exit 5 and list"
          + " every problem when it is invalid, or when the state directory or the mount root"
          + " is not a directory or lies on a read-only file system ('stowage doctor' checks"
          + " the drivers).")
  static final class Check implements Callable<Integer> {
    @ParentCommand
    ConfigCommand parent;

    @Override
    public Integer call() {
      StowageConfig c = parent.top.builder().configuration();
      parent.top.warn(c);
      List<String> problems = HostDirectories.problems(c);
      if (!problems.isEmpty()) {
        throw new ConfigurationException("this host's directories", problems);
      }
      Printer p = parent.top.printer();
      if (p.isJson()) {
        ObjectNode node = p.mapper().createObjectNode();
        node.put("valid", true);
        ArrayNode drivers = node.putArray("storageDrivers");
        c.storageDrivers().forEach(drivers::add);
        ArrayNode warnings = node.putArray("warnings");
        c.warnings().forEach(warnings::add);
        p.json(node);
      } else {
        p.line("configuration OK: drivers " + c.storageDrivers() + ", "
            + c.warnings().size() + " warning(s)");
      }
      return ExitCodes.OK;
    }
  }
}
