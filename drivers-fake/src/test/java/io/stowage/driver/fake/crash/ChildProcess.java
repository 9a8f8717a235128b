package io.stowage.driver.fake.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@link MountLoopMain} JVM. Its stdout is read continuously on a thread of its own, so
 * that no acknowledgement printed before a kill is lost; its stderr (the SDK's log) goes to a
 * file.
 */
final class ChildProcess implements AutoCloseable {
  /** The exit status of a process ended by SIGKILL: 128 + 9. */
  private static final int SIGKILLED = 137;

  private final Process process;
  private final Path log;
  private final Thread reader;
  private final Object linesLock = new Object();
  private final List<String> lines = new ArrayList<>();
  private boolean eof;

  private ChildProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.reader = new Thread(this::read, "child-" + process.pid() + "-stdout");
    this.reader.setDaemon(true);
    this.reader.start();
  }

  static ChildProcess start(Path work, long seed, int volumes, int callers, Path log)
      throws IOException {
    return start(log, MountLoopMain.class, work.toString(), Long.toString(seed),
        Integer.toString(volumes), Integer.toString(callers));
  }

  /** Starts a JVM running a main class of the test class path with arguments. */
  static ChildProcess start(Path log, Class<?> main, String... args) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> argv = new ArrayList<>(List.of(java.toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
        "-Dorg.slf4j.simpleLogger.showDateTime=true",
        "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
        "-cp", System.getProperty("java.class.path"), main.getName()));
    argv.addAll(List.of(args));
    Process process = new ProcessBuilder(argv)
        .redirectError(ProcessBuilder.Redirect.to(log.toFile()))
        .start();
    return new ChildProcess(process, log);
  }

  long pid() {
    return process.pid();
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (linesLock) {
          lines.add(line);
          linesLock.notifyAll();
        }
      }
    } catch (IOException e) {
      // The stream ends with the process.
    } finally {
      synchronized (linesLock) {
        eof = true;
        linesLock.notifyAll();
      }
    }
  }

  /**
   * Waits for a line.
   *
   * @return true when the line was printed in time; false on timeout or end of output
   */
  boolean awaitLine(String wanted, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (linesLock) {
      while (!lines.contains(wanted)) {
        long left = deadline - System.nanoTime();
        if (eof || left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(linesLock, left);
      }
      return true;
    }
  }

  void send(String command) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Kills the JVM with SIGKILL. It is stopped first (SIGSTOP) so that the commands it runs
   * can be listed without a race; those are then either killed too ({@code tree}), as when a
   * whole service is killed, or left to finish, as when only the JVM dies. Either way they
   * have ended when this returns, and so has the output.
   *
   * @return true when the kill ended the child; false when it had exited by itself
   */
  boolean kill(boolean tree) throws InterruptedException {
    ProcessHandle handle = process.toHandle();
    if (!handle.isAlive()) {
      awaitOutput();
      return false;
    }
    HostView.run("kill", "-STOP", Long.toString(pid()));
    awaitStopped();
    List<ProcessHandle> commands = handle.descendants().toList();
    // ProcessHandle.destroyForcibly is SIGKILL and, unlike Process.destroyForcibly, leaves
    // the pipes open, so what the child printed before the kill is still read.
    handle.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("child " + pid() + " survived SIGKILL");
    }
    for (ProcessHandle command : commands) {
      if (tree) {
        command.destroyForcibly();
      }
    }
    for (ProcessHandle command : commands) {
      try {
        command.onExit().get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException
          | java.util.concurrent.TimeoutException e) {
        command.destroyForcibly();
      }
    }
    awaitOutput();
    return process.exitValue() == SIGKILLED;
  }

  private void awaitStopped() throws InterruptedException {
    Path stat = Path.of("/proc", Long.toString(pid()), "stat");
    for (int i = 0; i < 200; i++) {
      try {
        String text = Files.readString(stat, StandardCharsets.UTF_8);
        String state = text.substring(text.lastIndexOf(')') + 2).split(" ")[0];
        if (state.equals("T") || state.equals("Z") || state.equals("X")) {
          return;
        }
      } catch (NoSuchFileException e) {
        return;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Thread.sleep(5);
    }
  }

  /** Waits for the process to exit by itself. */
  boolean awaitExit(Duration timeout) throws InterruptedException {
    boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (exited) {
      awaitOutput();
    }
    return exited;
  }

  int exitValue() {
    return process.exitValue();
  }

  private void awaitOutput() throws InterruptedException {
    reader.join(TimeUnit.SECONDS.toMillis(30));
  }

  /** Everything printed so far. */
  List<String> lines() {
    synchronized (linesLock) {
      return List.copyOf(lines);
    }
  }

  /** The last lines of the child's log, for failure messages. */
  String logTail(int count) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - count), all.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Kills the child and whatever it runs, if still alive. */
  @Override
  public void close() {
    ProcessHandle handle = process.toHandle();
    List<ProcessHandle> commands = handle.descendants().toList();
    handle.destroyForcibly();
    commands.forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
