package io.stowage.cli;

import io.stowage.Hosts;
import io.stowage.exception.CommandFailedException;
import io.stowage.spi.Commands;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Shows each volume of a run at its container path, for the run's command only where the kernel
 * allows: the binds are made in a private mount namespace that the command enters, so that the
 * host never sees them and they vanish with the command, whatever happens to the launcher. The
 * namespace is held by {@code unshare --mount --propagation private -- cat}, whose standard
 * input is a pipe from this process: it ends when this process closes the pipe or dies. Binds
 * are made in it with {@code nsenter --target <holder> --mount -- mount --bind}, and the command
 * is started through {@code nsenter} too. Where no namespace can be made, the binds are made on
 * the host and removed afterwards, each recorded in the run's record first. Every command is an
 * argument list. Not thread-safe.
 */
final class ContainerBinds implements AutoCloseable {
  private static final Duration HOLDER_START = Duration.ofSeconds(10);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

  /**
   * A volume's data directory and the path the command sees it at.
   *
   * @param source the data directory on the host
   * @param target the container path
   */
  record Bind(Path source, Path target) {}

  /** Where binds are made. */
  enum Mode {
    /** In a private mount namespace, falling back to the host where none can be made. */
    namespace,
    /** On the host, removed when the command ends. */
    host
  }

  private final Commands commands;
  private final Process holder;
  private final List<Path> hostTargets = new ArrayList<>();

  private ContainerBinds(Commands commands, Process holder) {
    this.commands = commands;
    this.holder = holder;
  }

  /**
   * Makes the binds.
   *
   * @param binds the binds, none for a run without container paths
   * @param mode where to make them
   * @param commands runs mount, umount and nsenter
   * @param beforeHostBind records a host bind before it is made
   * @param err where to say that the binds fall back to the host
   * @return the binds, to wrap the command with and to close after it
   * @throws CommandFailedException when a bind fails; what was made is undone
   */
  static ContainerBinds make(List<Bind> binds, Mode mode, Commands commands,
      Consumer<Path> beforeHostBind, PrintWriter err) {
    if (binds.isEmpty()) {
      return new ContainerBinds(commands, null);
    }
    if (mode == Mode.namespace) {
      Process holder = startHolder(err);
      if (holder != null) {
        ContainerBinds made = new ContainerBinds(commands, holder);
        try {
          for (Bind bind : binds) {
            commands.run(List.of("nsenter", "--target", Long.toString(holder.pid()), "--mount",
                "--", "mount", "--bind", bind.source().toString(), bind.target().toString()),
                COMMAND_TIMEOUT);
          }
          return made;
        } catch (RuntimeException e) {
          made.close();
          throw e;
        }
      }
    }
    ContainerBinds made = new ContainerBinds(commands, null);
    try {
      for (Bind bind : binds) {
        beforeHostBind.accept(bind.target());
        made.hostTargets.add(bind.target());
        commands.run(List.of("mount", "--bind", bind.source().toString(),
            bind.target().toString()), COMMAND_TIMEOUT);
      }
      return made;
    } catch (RuntimeException e) {
      made.close();
      throw e;
    }
  }

  /**
   * Starts the namespace holder and waits until it runs {@code cat} in a mount namespace of its
   * own; returns null, having said why, when it cannot.
   */
  private static Process startHolder(PrintWriter err) {
    Process holder;
    try {
      holder = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "--", "cat")
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      err.println("stowage: warning: no private mount namespace (" + e.getMessage()
          + "); binding the container paths on the host");
      return null;
    }
    long deadline = System.nanoTime() + HOLDER_START.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        if (!holder.isAlive()) {
          err.println("stowage: warning: no private mount namespace (unshare exited "
              + holder.exitValue() + ": " + errorOutput(holder)
              + "); binding the container paths on the host");
          return null;
        }
        if (inOwnNamespace(holder.pid())) {
          return holder;
        }
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    holder.destroyForcibly();
    err.println("stowage: warning: no private mount namespace (unshare did not start within "
        + HOLDER_START.toSeconds() + " s); binding the container paths on the host");
    return null;
  }

  private static String errorOutput(Process process) {
    try {
      return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "no error output";
    }
  }

  /**
   * Whether a process runs {@code cat} (unshare has set up and exec'd) in another namespace;
   * false while its {@code /proc} entries cannot be read.
   */
  private static boolean inOwnNamespace(long pid) {
    Path proc = Path.of("/proc", Long.toString(pid));
    try {
      return Files.readString(proc.resolve("comm"), StandardCharsets.UTF_8).strip()
          .equals("cat") && !Files.readSymbolicLink(proc.resolve("ns/mnt"))
              .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Returns the command to start: through {@code nsenter} into the namespace when there is one,
   * in the launcher's working directory.
   */
  List<String> wrap(List<String> command) {
    if (holder == null) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of("nsenter", "--target",
        Long.toString(holder.pid()), "--mount",
        "--wd=" + Path.of("").toAbsolutePath(), "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  /** Ends the namespace, or removes the host binds. */
  @Override
  public void close() {
    if (holder != null) {
      try {
        holder.getOutputStream().close();
        if (!holder.waitFor(HOLDER_START.toSeconds(), TimeUnit.SECONDS)) {
          holder.destroyForcibly().waitFor();
        }
      } catch (IOException e) {
        holder.destroyForcibly();
      } catch (InterruptedException e) {
        holder.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    for (int i = hostTargets.size() - 1; i >= 0; i--) {
      unmountIfMounted(commands, hostTargets.get(i), COMMAND_TIMEOUT);
    }
    hostTargets.clear();
  }

  /** Unmounts a host bind when the mount table still shows it. */
  static void unmountIfMounted(Commands commands, Path target, Duration timeout) {
    if (!Hosts.linux().mountsAt(target).isEmpty()) {
      commands.run(List.of("umount", target.toString()), timeout);
    }
  }
}
