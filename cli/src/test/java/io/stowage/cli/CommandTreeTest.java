package io.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The lazily built subcommand tree matches the annotations and behaves like the full tree. */
class CommandTreeTest {
  @Test
  void namesMatchTheAnnotationsAndNoAnnotationListsSubcommands() {
    check(CommandTree.stowage());
  }

  private static void check(CommandTree node) {
    Command command = node.type().getAnnotation(Command.class);
    List<String> names = new ArrayList<>(List.of(command.name()));
    names.addAll(List.of(command.aliases()));
    assertEquals(names, node.names(), node.type().getName());
    assertEquals(0, command.subcommands().length, node.type().getName());
    node.children().forEach(CommandTreeTest::check);
  }

  private static CommandLine built(String... args) {
    CommandLine line = new CommandLine(new StowageCommand(List.of(args), Map.of()));
    CommandTree.stowage().addSubcommands(line, List.of(args), 0);
    return line;
  }

  @Test
  void addsOnlyThePathTheLineTakesSkippingOptionValues() {
    CommandLine line = built("-o", "json", "--config", "volume", "--set=a=b", "volume",
        "--driver", "ls", "ls");
    assertEquals(List.of("volume"), List.copyOf(line.getSubcommands().keySet()));
    CommandLine volume = line.getSubcommands().get("volume");
    assertEquals(List.of("ls", "list"), List.copyOf(volume.getSubcommands().keySet()));
  }

  @Test
  void addsEveryCommandOfALevelForHelpTyposAndNoCommand() {
    List<String> top = List.of("volume", "snapshot", "config", "driver", "doctor", "run",
        "service", "version");
    assertEquals(top, List.copyOf(built().getSubcommands().keySet()));
    assertEquals(top, List.copyOf(built("--help", "volume").getSubcommands().keySet()));
    assertEquals(top, List.copyOf(built("volumes").getSubcommands().keySet()));
    CommandLine volume = built("volume", "frobnicate").getSubcommands().get("volume");
    assertTrue(volume.getSubcommands().keySet().containsAll(List.of("ls", "inspect", "create",
        "rm", "attach", "detach", "mount", "unmount", "path")));
  }

  @Test
  void usageListsEveryCommandAndATypoIsAUsageError() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(0, Main.run(new String[] {"--help"}, new PrintWriter(out),
        new PrintWriter(err), Map.of()));
    for (String name : List.of("volume", "config", "driver", "doctor", "service", "version")) {
      assertTrue(out.toString().contains("  " + name + " "), out.toString());
    }
    assertEquals(ExitCodes.USAGE, Main.run(new String[] {"volume", "frobnicate"},
        new PrintWriter(new StringWriter()), new PrintWriter(err), Map.of()));
    assertTrue(err.toString().contains("'frobnicate'"), err.toString());
  }
}
