package io.stowage.cli;

import java.util.List;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code stowage} subcommands and the classes that implement them, added to picocli only
 * along the path the command line takes. Building picocli's model reflects over every command
 * class it is given, which costs more start-up time than most commands take to run; so
 * {@code stowage volume ls} builds {@code stowage}, {@code volume} and {@code ls} only. Where
 * the line names no known subcommand (help, a typo, none at all), all the subcommands of that
 * level are added, so usage and error messages are exactly those of the full tree.
 *
 * @param names the command's name, then its aliases, as in its {@code @Command} annotation
 * @param type the annotated command class
 * @param children its subcommands, in the order usage lists them
 */
record CommandTree(List<String> names, Class<?> type, List<CommandTree> children) {
  /** Validates the node. */
  CommandTree {
    names = List.copyOf(names);
    Objects.requireNonNull(type, "type");
    children = List.copyOf(children);
  }

  /** The {@code stowage} command's tree. */
  static CommandTree stowage() {
    return node(StowageCommand.class, List.of("stowage"),
        node(VolumeCommand.class, List.of("volume"),
            leaf(VolumeCommand.Ls.class, "ls", "list"),
            leaf(VolumeCommand.Inspect.class, "inspect"),
            leaf(VolumeCommand.Create.class, "create"),
            leaf(VolumeCommand.Rm.class, "rm", "remove"),
            leaf(VolumeCommand.Attach.class, "attach"),
            leaf(VolumeCommand.Detach.class, "detach"),
            leaf(VolumeCommand.MountCmd.class, "mount"),
            leaf(VolumeCommand.Unmount.class, "unmount", "umount"),
            leaf(VolumeCommand.PathCmd.class, "path"),
            leaf(VolumeCommand.Resize.class, "resize")),
        node(SnapshotCommand.class, List.of("snapshot"),
            leaf(SnapshotCommand.Ls.class, "ls", "list"),
            leaf(SnapshotCommand.Inspect.class, "inspect"),
            leaf(SnapshotCommand.Create.class, "create"),
            leaf(SnapshotCommand.Rm.class, "rm", "remove"),
            leaf(SnapshotCommand.Copy.class, "copy")),
        node(ConfigCommand.class, List.of("config"),
            leaf(ConfigCommand.Show.class, "show"),
            leaf(ConfigCommand.Check.class, "check")),
        node(DriverCommand.class, List.of("driver"),
            leaf(DriverCommand.Ls.class, "ls", "list")),
        leaf(DoctorCommand.class, "doctor"),
        leaf(RunCommand.class, "run"),
        node(ServiceCommand.class, List.of("service"),
            leaf(ServiceCommand.Start.class, "start"),
            leaf(ServiceCommand.Stop.class, "stop"),
            leaf(ServiceCommand.Status.class, "status")),
        leaf(VersionCommand.class, "version"));
  }

  private static CommandTree node(Class<?> type, List<String> names, CommandTree... children) {
    return new CommandTree(names, type, List.of(children));
  }

  private static CommandTree leaf(Class<?> type, String... names) {
    return new CommandTree(List.of(names), type, List.of());
  }

  /**
   * Adds to {@code line} (built for this node) the subcommands that {@code args} reaches.
   *
   * @param line the picocli command line of this node
   * @param args the whole command line
   * @param from the index of the first argument after this node's name
   */
  void addSubcommands(CommandLine line, List<String> args, int from) {
    if (children.isEmpty()) {
      return;
    }
    for (int i = from; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--") || arg.equals("-h") || arg.equals("--help") || arg.equals("-V")
          || arg.equals("--version")) {
        break;
      }
      if (arg.startsWith("-")) {
        OptionSpec option = line.getCommandSpec().findOption(arg);
        if (option != null && option.arity().min() > 0) {
          i++; // its value, given as a separate argument
        }
        continue;
      }
      for (CommandTree child : children) {
        if (child.names.contains(arg)) {
          child.addSubcommands(line.addSubcommand(child.type).getSubcommands().get(arg), args,
              i + 1);
          return;
        }
      }
      break;
    }
    for (CommandTree child : children) {
      child.addSubcommands(line.addSubcommand(child.type).getSubcommands().get(child.names
          .get(0)), args, args.size());
    }
  }
}
