package io.stowage.driver.virtualbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The in-memory VirtualBox behind {@link VboxWebServiceDouble}: machines with network adapters,
 * storage controllers and attachments, media, progress objects and sessions. Not thread-safe on
 * its own; the double guards it with one lock.
 */
final class DoubleModel {
  private DoubleModel() {}

  /** The IVirtualBox object every logon gets. */
  static final Object VIRTUALBOX = new Object() {
    @Override
    public String toString() {
      return "IVirtualBox";
    }
  };
  /** The ISystemProperties object (VirtualBox 6.1 path to adapter counts). */
  static final Object SYSTEM_PROPERTIES = new Object() {
    @Override
    public String toString() {
      return "ISystemProperties";
    }
  };

  /** Adapter slots per chipset, as VirtualBox has them. */
  static int adapterSlots(String chipset) {
    return switch (chipset) {
      case "ICH9" -> 36;
      case "PIIX3" -> 8;
      case "ARMv8Virtual" -> 8;
      default -> 0;
    };
  }

  /** Whether a controller on a bus can hot-plug, as VirtualBox decides. */
  static boolean hotPlugCapable(String bus) {
    return bus.equals("SATA") || bus.equals("USB") || bus.equals("VirtioSCSI");
  }

  /** A virtual machine. */
  static final class Vm {
    final String uuid = UUID.randomUUID().toString();
    final String name;
    String state;
    final String chipset;
    final String architecture = "x86";
    final List<Adapter> adapters = new ArrayList<>();
    final List<Controller> controllers = new ArrayList<>();
    List<Slot> attachments = new ArrayList<>();
    final Platform platform = new Platform(this);
    /** The session holding the machine's lock: a {@link SessionObject}, or "another client". */
    Object lockHolder;

    Vm(String name, String state, String chipset) {
      this.name = name;
      this.state = state;
      this.chipset = chipset;
      for (int slot = 0; slot < adapterSlots(chipset); slot++) {
        adapters.add(new Adapter(this, slot, randomMac(), false));
      }
    }

    boolean running() {
      return state.equals("Running") || state.equals("Paused");
    }

    Controller addController(String controllerName, String bus, int portCount) {
      Controller controller = new Controller(this, controllerName, bus, portCount);
      controllers.add(controller);
      return controller;
    }

    /** Sets the MAC address of the next adapter slots and enables them. */
    Vm withMacs(String... macs) {
      for (int i = 0; i < macs.length; i++) {
        adapters.get(i).mac = macs[i];
        adapters.get(i).enabled = true;
      }
      return this;
    }

    Controller controller(String controllerName) {
      return controllers.stream().filter(c -> c.name.equals(controllerName)).findFirst()
          .orElse(null);
    }

    @Override
    public String toString() {
      return "IMachine " + name;
    }

    private static String randomMac() {
      return ("080027" + UUID.randomUUID().toString().replace("-", "").substring(0, 6))
          .toUpperCase(Locale.ROOT);
    }
  }

  /** The platform object of a machine (VirtualBox 7.1). */
  record Platform(Vm vm) {}

  /** The platform properties of an architecture (VirtualBox 7.1). */
  record PlatformProperties(String architecture) {}

  /** A network adapter slot. */
  static final class Adapter {
    final Vm vm;
    final int slot;
    String mac;
    boolean enabled;

    Adapter(Vm vm, int slot, String mac, boolean enabled) {
      this.vm = vm;
      this.slot = slot;
      this.mac = mac;
      this.enabled = enabled;
    }
  }

  /** A storage controller. */
  static final class Controller {
    final Vm vm;
    final String name;
    final String bus;
    int portCount;

    Controller(Vm vm, String name, String bus, int portCount) {
      this.vm = vm;
      this.name = name;
      this.bus = bus;
      this.portCount = portCount;
    }

    int devicesPerPort() {
      return bus.equals("IDE") ? 2 : 1;
    }
  }

  /** A used device slot of a machine. */
  static final class Slot {
    final String controller;
    final int port;
    final int device;
    final Disk disk;
    boolean hotPluggable;

    Slot(String controller, int port, int device, Disk disk, boolean hotPluggable) {
      this.controller = controller;
      this.port = port;
      this.device = device;
      this.disk = disk;
      this.hotPluggable = hotPluggable;
    }

    Slot copy() {
      return new Slot(controller, port, device, disk, hotPluggable);
    }
  }

  /** A hard disk medium. */
  static final class Disk {
    final String uuid = UUID.randomUUID().toString();
    final String location;
    final String format;
    long logicalSize;
    String state;
    boolean registered;
    /** Deleted or closed: every call on it fails as on an uninitialised COM object. */
    boolean gone;

    Disk(String location, String format, long logicalSize, String state) {
      this.location = location;
      this.format = format;
      this.logicalSize = logicalSize;
      this.state = state;
    }

    @Override
    public String toString() {
      return "IMedium " + location;
    }
  }

  /** A task's progress. */
  static final class Progress {
    boolean completed;
    int resultCode;
    ErrorInfo error;
    /** What cancelling a task that has not ended does. */
    Runnable onCancel;

    void succeed() {
      completed = true;
    }

    void fail(int code, String text) {
      completed = true;
      resultCode = code;
      error = new ErrorInfo(code, text);
    }
  }

  /** An IVirtualBoxErrorInfo. */
  record ErrorInfo(int resultCode, String text) {}

  /** An ISession. */
  static final class SessionObject {
    Vm locked;
    String lockType;
    SessionMachine machine;
  }

  /**
   * The mutable machine of a locked session. For a stopped machine it holds unsaved
   * attachments; for a running one it is the VM process's machine, whose changes every shared
   * session sees at once (hot-plug).
   */
  static final class SessionMachine {
    final Vm vm;
    final boolean live;
    List<Slot> pending;
    /** Unlocked: every call on it fails. */
    boolean closed;

    SessionMachine(Vm vm) {
      this.vm = vm;
      this.live = vm.running();
      this.pending = live ? null : copy(vm.attachments);
    }

    List<Slot> slots() {
      return live ? vm.attachments : pending;
    }

    @Override
    public String toString() {
      return "mutable IMachine " + vm.name;
    }
  }

  static List<Slot> copy(List<Slot> slots) {
    List<Slot> out = new ArrayList<>();
    slots.forEach(s -> out.add(s.copy()));
    return out;
  }
}
