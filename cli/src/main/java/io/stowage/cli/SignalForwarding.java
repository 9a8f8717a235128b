package io.stowage.cli;

import io.stowage.Hosts;
import io.stowage.exception.StowageException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Catches SIGTERM, SIGINT and SIGHUP while a run lasts and sends each, as it is, to the run's
 * command, so that the launcher stays to release the volumes once the command has ended. The
 * JVM's own handling of these signals (shutdown) is restored on {@link #close()}.
 *
 * <p>It uses {@code sun.misc.Signal} of the {@code jdk.unsupported} module, which Java 17, 21 and
 * 25 all export for exactly this and which no public API replaces: a shutdown hook cannot tell
 * the signals apart, nor keep the JVM alive after one until the command has ended. It is reached
 * by reflection because javac warns of every direct use, and warnings fail this build. Where a
 * runtime lacks it, a signal ends the launcher as before, and the run's record
 * ({@link RunJournal}) lets the next command release the volumes. Thread-safe.
 */
final class SignalForwarding implements AutoCloseable {
  /** The signals forwarded, with their numbers. */
  static final Map<String, Integer> SIGNALS = Map.of("HUP", 1, "INT", 2, "TERM", 15);
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(5);

  private final Object lock = new Object();
  private final Map<Object, Object> previous = new LinkedHashMap<>();
  private String received;
  private ProcessHandle command;
  private Method restore;

  private SignalForwarding() {}

  /**
   * Installs the handlers.
   *
   * @return the forwarding, to close when the run ends
   */
  static SignalForwarding install() {
    SignalForwarding forwarding = new SignalForwarding();
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Method handle = signal.getMethod("handle", signal, handlerType);
      Method name = signal.getMethod("getName");
      forwarding.restore = handle;
      InvocationHandler onSignal = (proxy, method, args) -> {
        if (method.getName().equals("handle") && args != null && args.length == 1) {
          forwarding.onSignal((String) name.invoke(args[0]));
          return null;
        }
        return switch (method.getName()) {
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> "signal forwarding";
        };
      };
      Object handler = Proxy.newProxyInstance(SignalForwarding.class.getClassLoader(),
          new Class<?>[] {handlerType}, onSignal);
      for (String s : List.of("TERM", "INT", "HUP")) {
        Object sig = signal.getConstructor(String.class).newInstance(s);
        forwarding.previous.put(sig, handle.invoke(null, sig, handler));
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      forwarding.close();
    }
    return forwarding;
  }

  /**
   * Sends signals to the command from now on, and at once the one that arrived while it was
   * being started, if any.
   */
  void forwardTo(ProcessHandle process) {
    String early;
    synchronized (lock) {
      command = process;
      early = received;
    }
    if (early != null) {
      send(early, process);
    }
  }

  /**
   * Returns the first signal received, if any.
   *
   * @return its name, such as {@code TERM}
   */
  Optional<String> received() {
    synchronized (lock) {
      return Optional.ofNullable(received);
    }
  }

  private void onSignal(String name) {
    ProcessHandle target;
    synchronized (lock) {
      if (received == null) {
        received = name;
      }
      target = command;
    }
    if (target != null) {
      send(name, target);
    }
  }

  private static void send(String name, ProcessHandle target) {
    if (target.isAlive()) {
      try {
        Hosts.commands().run(List.of("kill", "-s", name, Long.toString(target.pid())),
            KILL_TIMEOUT);
      } catch (StowageException e) {
        // It ended meanwhile: nothing left to signal.
      }
    }
  }

  /** Restores the JVM's handlers. */
  @Override
  public void close() {
    if (restore == null) {
      return;
    }
    for (Map.Entry<Object, Object> e : previous.entrySet()) {
      try {
        restore.invoke(null, e.getKey(), e.getValue());
      } catch (ReflectiveOperationException ignored) {
        // The handler stays; the run is over either way.
      }
    }
    restore = null;
  }
}
