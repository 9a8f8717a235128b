package io.stowage.tck;

import io.stowage.spi.StorageDriver;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Counts the calls a driver gets, by method name, through a proxy around it. Every method of
 * {@link StorageDriver} counts except those that answer from what the driver holds:
 * {@code name}, {@code capabilities}, {@code deviceLocator}, {@code snapshots},
 * {@code resizer} and {@code close}. A driver that
 * keeps the default {@code findByName} pays one {@code list} for each lookup counted here.
 * Thread-safe.
 */
final class CallCounter {
  private static final Set<String> NOT_COUNTED =
      Set.of("name", "capabilities", "deviceLocator", "snapshots", "resizer", "close");

  private final Object lock = new Object();
  private final Map<String, Integer> counts = new TreeMap<>();

  /** Returns the driver behind a proxy that counts its calls here. */
  StorageDriver wrap(StorageDriver driver) {
    InvocationHandler handler = (proxy, method, args) -> {
      if (method.getDeclaringClass() == StorageDriver.class
          && !NOT_COUNTED.contains(method.getName())) {
        synchronized (lock) {
          counts.merge(method.getName(), 1, Integer::sum);
        }
      }
      try {
        return method.invoke(driver, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    return (StorageDriver) Proxy.newProxyInstance(StorageDriver.class.getClassLoader(),
        new Class<?>[] {StorageDriver.class}, handler);
  }

  /** Returns the calls counted since the last take, by method name, and starts again. */
  Map<String, Integer> take() {
    synchronized (lock) {
      Map<String, Integer> taken = Collections.unmodifiableMap(new TreeMap<>(counts));
      counts.clear();
      return taken;
    }
  }
}
