package io.stowage.driver.virtualbox;

import static io.stowage.exception.InvalidArgumentException.quote;

import io.stowage.driver.virtualbox.WebSession.KnownMedium;
import io.stowage.driver.virtualbox.WebSession.Logon;
import io.stowage.exception.BackendException;
import io.stowage.exception.ConfigurationException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.OperationTimeoutException;
import io.stowage.exception.UnsupportedCapabilityException;
import io.stowage.exception.VolumeAlreadyExistsException;
import io.stowage.exception.VolumeInUseException;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.model.ByteSize;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The volume operations of the VirtualBox back end, over one reused web session: list, find,
 * create, remove, attach and detach hard disks under the volume directory, and identify the
 * machine this host runs in.
 *
 * <p>Calls are few and do not grow with the number of disks VirtualBox knows: a volume is
 * looked up by its location ({@code IVirtualBox_openMedium}), never by walking every disk,
 * and object references are reused for the life of the web session.
 *
 * <p>Attaching picks a free port below the controller's configured port count, under a
 * {@code Shared} lock when the VM runs (hot-plug) and a {@code Write} lock when it does not,
 * saves the machine's settings and discards them when a step fails, and moves on to another
 * port when a concurrent client takes the chosen one. Attaches and detaches of one machine in
 * this process are serialized.
 *
 * <p>Thread-safe. {@link #close()} logs off.
 */
final class VirtualBoxBackend implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VirtualBoxBackend.class);
  private static final String SOURCE = "the virtualbox driver settings";
  /** How long a cancelled task is given to end before its medium is cleaned up. */
  private static final Duration CANCEL_GRACE = Duration.ofSeconds(5);
  private static final int DEVICE = 0;

  private final VboxWebClient client;
  private final WebSession session;
  private final BackendSettings settings;
  private final VolumePath volumes;
  private final LocalMachineFinder finder;
  private final Clock clock;
  private final Map<String, ReentrantLock> machineLocks = new ConcurrentHashMap<>();
  private volatile LocalMachine local;

  /**
   * Creates the back end. Does no I/O: the web session logs on at the first call.
   *
   * @param endpoint the web service and its credentials
   * @param settings the volume directory, controller and the rest
   * @param clock the clock deadlines are measured with
   * @throws ConfigurationException when the volume directory is missing or not absolute
   */
  VirtualBoxBackend(VirtualBoxEndpoint endpoint, BackendSettings settings, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.volumes = new VolumePath(settings.volumePath(), settings.mediumFormat());
    this.client = new VboxWebClient(new SoapTransport(endpoint));
    this.session = new WebSession(client, endpoint.username(), endpoint.password());
    this.finder = new LocalMachineFinder(client, new HostNics(settings.netRoot()));
  }

  /**
   * Returns the machine this host runs in, found once per back end.
   *
   * @return the machine
   * @throws ConfigurationException when it cannot be found, or not without a guess
   */
  LocalMachine localMachine() {
    LocalMachine known = local;
    if (known == null) {
      known = session.call(logon -> finder.find(logon, settings.localMachineNameOrId()));
      local = known;
    }
    return known;
  }

  /**
   * Lists the volumes: one call for the disk list, one per disk for its location, and three
   * per volume.
   *
   * @return every hard disk under the volume directory
   */
  List<VboxVolume> list() {
    return session.call(logon -> {
      List<VboxVolume> found = new ArrayList<>();
      for (ObjectRef disk : client.getHardDisks(logon.vbox())) {
        String location = client.mediumGetLocation(disk);
        Optional<String> name = volumes.nameOf(location);
        if (name.isPresent()) {
          found.add(describe(logon, disk, location, name.get()));
        }
      }
      return found;
    });
  }

  /**
   * Finds a volume by name through its location, without listing other disks.
   *
   * @param name the volume name
   * @return the volume, if its disk exists
   * @throws InvalidArgumentException when the name would leave the volume directory
   */
  Optional<VboxVolume> findByName(String name) {
    String location = volumes.locationOf(name);
    return session.call(logon -> open(logon, location)
        .map(medium -> describe(logon, medium, location, name)));
  }

  /**
   * Finds a volume by its medium UUID. A medium outside the volume directory is not a volume.
   *
   * @param id the volume ID
   * @return the volume, if it exists
   */
  Optional<VboxVolume> findById(String id) {
    Optional<MediumUuid> uuid = MediumUuid.parse(id);
    if (uuid.isEmpty()) {
      return Optional.empty();
    }
    return session.call(logon -> open(logon, uuid.get().value()).flatMap(medium -> {
      String location = logon.knownMedium(uuid.get())
          .filter(known -> known.ref().equals(medium))
          .map(KnownMedium::location)
          .orElseGet(() -> client.mediumGetLocation(medium));
      return volumes.nameOf(location)
          .map(name -> describe(logon, medium, location, name, uuid.get()));
    }));
  }

  /**
   * Creates a volume: a dynamically allocated disk of the configured format. A creation that
   * fails or outlasts the progress timeout leaves no medium behind.
   *
   * @param name the volume name
   * @param size the size
   * @return the new volume
   * @throws InvalidArgumentException when the name would leave the volume directory
   * @throws VolumeAlreadyExistsException when a disk of that name exists
   * @throws ConfigurationException when VirtualBox cannot write the volume directory
   * @throws OperationTimeoutException when the creation outlasts the progress timeout
   */
  VboxVolume create(String name, ByteSize size) {
    String location = volumes.locationOf(name);
    Objects.requireNonNull(size, "size");
    try {
      return createDisk(name, location, size);
    } catch (VirtualBoxFault e) {
      throw refusedCreation(name, location, e);
    }
  }

  private VboxVolume createDisk(String name, String location, ByteSize size) {
    return session.call(logon -> {
      ObjectRef medium = client.createMedium(logon.vbox(), settings.mediumFormat(), location);
      try {
        awaitProgress(client.mediumCreateBaseStorage(medium, size.bytes(),
            List.of(VboxWebClient.VARIANT_STANDARD)), "IMedium_createBaseStorage",
            "creating volume " + quote(name) + " at " + location);
        MediumUuid id = new MediumUuid(client.mediumGetId(medium));
        logon.rememberMedium(id, new KnownMedium(medium, location));
        LOG.info("created volume {} ({}, {}) at {}", quote(name), id, size, location);
        return new VboxVolume(id, name, location, size.bytes(), List.of());
      } catch (RuntimeException e) {
        discardFailedMedium(medium, location, e);
        throw e;
      }
    });
  }

  /**
   * Tells why VirtualBox refused a creation, after the fact so that a creation costs no
   * lookup: a disk of the name exists (a volume, or an image file VirtualBox had not
   * registered), or the volume directory cannot be written.
   */
  private RuntimeException refusedCreation(String name, String location, VirtualBoxFault cause) {
    Optional<VboxVolume> existing;
    try {
      existing = findByName(name);
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
      return cause;
    }
    RuntimeException refused;
    if (existing.isPresent()) {
      refused = new VolumeAlreadyExistsException(name, existing.get().id().value());
    } else if (cause.resultCode() == ResultCodes.VBOX_E_FILE_ERROR) {
      refused = new ConfigurationException(SOURCE, List.of("VirtualBox cannot create volume "
          + quote(name) + " at " + location + " (" + cause.text() + "); virtualbox.volumePath "
          + quote(volumes.root()) + " must be a directory on the VirtualBox host that the user"
          + " vboxwebsrv runs as can write, with room for the disk"));
    } else {
      return cause;
    }
    refused.addSuppressed(cause);
    return refused;
  }

  /**
   * Deletes a volume's disk.
   *
   * @param id the volume ID
   * @throws VolumeNotFoundException when no volume has the ID
   * @throws VolumeInUseException when the disk is attached to a machine
   */
  void remove(String id) {
    MediumUuid uuid = volumeUuid(id);
    session.call(logon -> withMedium(logon, uuid, medium -> {
      String name = volumes.nameOf(medium.location()).orElseThrow();
      List<String> machines = client.mediumGetMachineIds(medium.ref());
      if (!machines.isEmpty()) {
        throw new VolumeInUseException(name, String.join(", ", machines), "volume "
            + quote(name) + " is attached to VirtualBox machine " + String.join(", ", machines)
            + "; detach it before removing it");
      }
      awaitProgress(client.mediumDeleteStorage(medium.ref()), "IMedium_deleteStorage",
          "deleting volume " + quote(name) + " at " + medium.location());
      logon.forgetMedium(uuid);
      releaseQuietly(medium.ref());
      LOG.info("removed volume {} ({})", quote(name), uuid);
      return null;
    }));
  }

  /**
   * Grows a volume's disk ({@code IMedium_resize}). VirtualBox resizes VDI and VHD disks, not
   * VMDK ones, and no disk attached to a machine: the volume's format and its machines are
   * checked first, so that nothing is asked of VirtualBox that it refuses.
   *
   * @param id the volume ID
   * @param size the new size
   * @return the volume at its new size
   * @throws UnsupportedCapabilityException naming {@code RESIZE} for a VMDK disk
   * @throws InvalidArgumentException when the size is smaller than the disk's
   * @throws VolumeNotFoundException when no volume has the ID
   * @throws VolumeInUseException when the disk is attached to a machine
   * @throws OperationTimeoutException when the resize outlasts the progress timeout
   */
  VboxVolume grow(String id, ByteSize size) {
    MediumUuid uuid = volumeUuid(id);
    Objects.requireNonNull(size, "size");
    return session.call(logon -> withMedium(logon, uuid, medium -> {
      String name = volumes.nameOf(medium.location()).orElseThrow();
      if (!settings.resizable()) {
        throw new UnsupportedCapabilityException(VirtualBoxDriverProvider.NAME, "RESIZE",
            "VirtualBox cannot resize " + settings.mediumFormat() + " disks such as volume "
                + quote(name) + " (" + medium.location() + "); volumes created with"
                + " virtualbox.mediumFormat VDI or VHD can grow");
      }
      long current = client.mediumGetLogicalSize(medium.ref());
      if (size.bytes() < current) {
        throw new InvalidArgumentException("size", size.toString(), "is smaller than volume "
            + quote(name) + " of " + current + " bytes; volumes only grow");
      }
      List<String> machines = client.mediumGetMachineIds(medium.ref());
      if (size.bytes() == current) {
        return new VboxVolume(uuid, name, medium.location(), current, machines);
      }
      if (!machines.isEmpty()) {
        throw new VolumeInUseException(name, String.join(", ", machines), "volume "
            + quote(name) + " is attached to VirtualBox machine " + String.join(", ", machines)
            + "; VirtualBox grows a disk attached to no machine, so detach it first");
      }
      awaitProgress(client.mediumResize(medium.ref(), size.bytes()), "IMedium_resize",
          "growing volume " + quote(name) + " to " + size);
      LOG.info("grew volume {} ({}) to {}", quote(name), uuid, size);
      return new VboxVolume(uuid, name, medium.location(), size.bytes(), List.of());
    }));
  }

  /**
   * Attaches a volume to a machine at a free port of the configured controller. Attaching a
   * volume to the machine that has it already changes nothing and reports where it is.
   *
   * @param id the volume ID
   * @param machineId the machine's UUID
   * @return where the disk is attached
   * @throws VolumeNotFoundException when no volume has the ID
   * @throws VolumeInUseException when the disk is attached to another machine
   * @throws ConfigurationException when the machine has no controller of the configured name,
   *     or runs and the controller cannot hot-plug (IDE)
   */
  VboxAttachment attach(String id, String machineId) {
    MediumUuid uuid = volumeUuid(id);
    return session.call(logon -> withMedium(logon, uuid, medium -> serialized(machineId,
        () -> attachLocked(logon, uuid, medium, machineId))));
  }

  /**
   * Detaches a volume from a machine. A volume that is not attached there stays as it is.
   *
   * @param id the volume ID
   * @param machineId the machine's UUID
   * @return whether it was attached there
   * @throws VolumeNotFoundException when no volume has the ID
   */
  boolean detach(String id, String machineId) {
    MediumUuid uuid = volumeUuid(id);
    return session.call(logon -> withMedium(logon, uuid, medium -> serialized(machineId,
        () -> detachLocked(logon, medium, machineId))));
  }

  /**
   * Detaches a volume from whichever machines hold it (a forced detach before a preemption).
   *
   * @param id the volume ID
   * @return the UUIDs of the machines it was detached from
   * @throws VolumeNotFoundException when no volume has the ID
   */
  List<String> detachEverywhere(String id) {
    MediumUuid uuid = volumeUuid(id);
    return session.call(logon -> withMedium(logon, uuid, medium -> {
      List<String> detached = new ArrayList<>();
      for (String machineId : client.mediumGetMachineIds(medium.ref())) {
        if (serialized(machineId, () -> detachLocked(logon, medium, machineId))) {
          detached.add(machineId);
        }
      }
      return detached;
    }));
  }

  /**
   * Asks the endpoint whether it is vboxwebsrv, without logging on.
   *
   * @return whether it answered as vboxwebsrv does
   */
  boolean answersAsVboxwebsrv() {
    return client.answersAsVboxwebsrv();
  }

  /**
   * Logs on, unless the session has, and returns VirtualBox's version.
   *
   * @return the version, such as {@code 7.1.4}
   * @throws ConfigurationException when vboxwebsrv refuses the credentials
   */
  String version() {
    return session.call(logon -> client.getVersion(logon.vbox()));
  }

  /**
   * Describes the configured storage controller of a machine, changing nothing.
   *
   * @param machineId the machine's UUID
   * @return the controller's bus, configured ports and ports in use, and whether the machine
   *     runs
   * @throws ConfigurationException when the machine has no controller of that name, listing
   *     those it has
   */
  ControllerReport describeController(String machineId) {
    return session.call(logon -> {
      ObjectRef machine = machine(logon, machineId);
      ObjectRef controller = controller(machine, machineId);
      Set<Integer> used = new HashSet<>();
      client.machineGetMediumAttachmentsOfController(machine, settings.controllerName())
          .forEach(slot -> used.add(slot.port()));
      return new ControllerReport(settings.controllerName(),
          client.storageControllerGetBus(controller),
          client.storageControllerGetPortCount(controller), used.size(),
          MachineStates.kind(client.machineGetState(machine)) == MachineStates.Kind.RUNNING);
    });
  }

  /**
   * The configured storage controller of a machine, as {@code stowage doctor} shows it.
   *
   * @param name the controller's name
   * @param bus its {@code StorageBus}
   * @param portCount its configured ports
   * @param usedPorts the ports that hold a device
   * @param machineRuns whether the machine runs, so that a disk must be hot-plugged
   */
  record ControllerReport(String name, String bus, long portCount, int usedPorts,
      boolean machineRuns) {
    /**
     * Returns whether a disk can be attached here now.
     *
     * @return true when a port is free and the bus hot-plugs if the machine runs
     */
    boolean takesADisk() {
      return usedPorts < portCount && (!machineRuns || MachineStates.hotPlugs(bus));
    }
  }

  /** Logs off vboxwebsrv. Idempotent. */
  @Override
  public void close() {
    session.close();
  }

  // attach and detach

  private VboxAttachment attachLocked(Logon logon, MediumUuid uuid, KnownMedium medium,
      String machineId) {
    String controllerName = settings.controllerName();
    ObjectRef machine = machine(logon, machineId);
    String state = client.machineGetState(machine);
    MachineStates.Kind kind = requireChangeable(state, machineId);
    ObjectRef controller = controller(machine, machineId);
    long portCount = client.storageControllerGetPortCount(controller);
    return underLock(logon, machine, kind, machineId, mutable -> {
      List<MediumAttachmentInfo> slots =
          client.machineGetMediumAttachmentsOfController(mutable, controllerName);
      Set<Integer> lost = new HashSet<>();
      while (true) {
        Optional<MediumAttachmentInfo> present = holding(slots, medium.ref());
        if (present.isPresent()) {
          return attachment(uuid, machineId, present.get());
        }
        Set<Integer> used = new HashSet<>();
        slots.forEach(slot -> used.add(slot.port()));
        OptionalInt port = PortChooser.firstFree(portCount, used, lost);
        if (port.isEmpty()) {
          throw new BackendException("all " + portCount + " ports of storage controller "
              + quote(controllerName) + " of VirtualBox machine " + describeMachine(machineId)
              + " hold a device; raise its port count while the machine is powered off"
              + " (VBoxManage storagectl <vm> --name " + controllerName + " --portcount 30)",
              false, null, null);
        }
        try {
          client.machineAttachDevice(mutable, controllerName, port.getAsInt(), DEVICE,
              medium.ref());
        } catch (VirtualBoxFault e) {
          if (kind == MachineStates.Kind.RUNNING
              && e.resultCode() == ResultCodes.VBOX_E_INVALID_VM_STATE) {
            throw cannotHotPlug(controller, machineId, e);
          }
          if (e.resultCode() != ResultCodes.VBOX_E_OBJECT_IN_USE) {
            throw e;
          }
          // Another client took the port, or the disk is attached elsewhere: look again.
          slots = client.machineGetMediumAttachmentsOfController(mutable, controllerName);
          if (holding(slots, medium.ref()).isEmpty()
              && slots.stream().noneMatch(slot -> slot.port() == port.getAsInt())) {
            throw inUseElsewhere(medium, e);
          }
          lost.add(port.getAsInt());
          LOG.info("port {} of {} on machine {} was taken meanwhile; trying another",
              port.getAsInt(), controllerName, describeMachine(machineId));
          continue;
        }
        if (kind == MachineStates.Kind.STOPPED) {
          allowHotUnplug(mutable, controllerName, port.getAsInt());
        }
        client.machineSaveSettings(mutable);
        LOG.info("attached volume {} to machine {} at {} port {}", uuid,
            describeMachine(machineId), controllerName, port.getAsInt());
        return new VboxAttachment(uuid, machineId, controllerName, port.getAsInt(), DEVICE);
      }
    });
  }

  /**
   * Tells why a running machine refused a disk: a controller on a bus that cannot hot-plug
   * (IDE) is a setting to change. Asked only then, so that an attach costs no call for it.
   */
  private RuntimeException cannotHotPlug(ObjectRef controller, String machineId,
      VirtualBoxFault refusal) {
    String bus = client.storageControllerGetBus(controller);
    if (MachineStates.hotPlugs(bus)) {
      return refusal;
    }
    ConfigurationException e = new ConfigurationException(SOURCE, List.of("storage controller "
        + quote(settings.controllerName()) + " of VirtualBox machine "
        + describeMachine(machineId) + " is on the " + bus + " bus, which cannot hot-plug a"
        + " disk while the machine runs; set virtualbox.controllerName to a SATA controller"
        + " (add one while the machine is powered off)"));
    e.addSuppressed(refusal);
    return e;
  }

  private boolean detachLocked(Logon logon, KnownMedium medium, String machineId) {
    ObjectRef machine = machine(logon, machineId);
    Optional<MediumAttachmentInfo> slot =
        holding(client.machineGetMediumAttachments(machine), medium.ref());
    if (slot.isEmpty()) {
      return false;
    }
    MachineStates.Kind kind = requireChangeable(client.machineGetState(machine), machineId);
    MediumAttachmentInfo at = slot.get();
    return underLock(logon, machine, kind, machineId, mutable -> {
      try {
        client.machineDetachDevice(mutable, at.controller(), at.port(), at.device());
      } catch (VirtualBoxFault e) {
        if (e.resultCode() == ResultCodes.VBOX_E_OBJECT_NOT_FOUND) {
          return false;
        }
        throw e;
      }
      client.machineSaveSettings(mutable);
      LOG.info("detached {} from machine {} ({} port {})", medium.location(),
          describeMachine(machineId), at.controller(), at.port());
      return true;
    });
  }

  /**
   * Marks a disk attached to a stopped machine as hot-pluggable, so that it can be detached
   * once the machine runs (VirtualBox marks only disks attached to a running machine). A
   * controller that cannot hot-plug refuses, which is left as it is.
   */
  private void allowHotUnplug(ObjectRef mutable, String controllerName, int port) {
    try {
      client.machineSetHotPluggableForDevice(mutable, controllerName, port, DEVICE, true);
    } catch (VirtualBoxFault e) {
      if (e.resultCode() != ResultCodes.VBOX_E_NOT_SUPPORTED) {
        throw e;
      }
    }
  }

  /**
   * Runs a change of a machine's settings under a session lock: {@code Shared} for a running
   * machine, {@code Write} otherwise. Discards the settings when the change fails; always
   * releases the mutable machine and unlocks.
   */
  private <T> T underLock(Logon logon, ObjectRef machine, MachineStates.Kind kind,
      String machineId, Function<ObjectRef, T> change) {
    String lockType = kind == MachineStates.Kind.RUNNING ? VboxWebClient.LOCK_SHARED
        : VboxWebClient.LOCK_WRITE;
    ObjectRef sessionObject = logon.takeSessionObject();
    try {
      lockMachine(machine, sessionObject, lockType, machineId);
    } catch (RuntimeException e) {
      logon.giveBackSessionObject(sessionObject);
      throw e;
    }
    boolean unlocked = false;
    try {
      ObjectRef mutable = client.sessionGetMachine(sessionObject);
      try {
        return change.apply(mutable);
      } catch (RuntimeException e) {
        if (!(e instanceof StaleReferenceException)) {
          try {
            client.machineDiscardSettings(mutable);
          } catch (BackendException discard) {
            e.addSuppressed(discard);
          }
        }
        throw e;
      } finally {
        releaseQuietly(mutable);
      }
    } finally {
      try {
        client.sessionUnlockMachine(sessionObject);
        unlocked = true;
      } catch (StaleReferenceException e) {
        // the web session is gone, and with it the lock
        LOG.debug("unlocking VirtualBox machine {}: {}", describeMachine(machineId),
            e.getMessage());
      } catch (BackendException e) {
        LOG.warn("unlocking VirtualBox machine {} failed: {}", describeMachine(machineId),
            e.getMessage());
      }
      if (unlocked) {
        logon.giveBackSessionObject(sessionObject);
      }
    }
  }

  /** Locks a machine, waiting up to the lock timeout while another session holds it. */
  private void lockMachine(ObjectRef machine, ObjectRef sessionObject, String lockType,
      String machineId) {
    Instant deadline = clock.instant().plus(settings.lockTimeout());
    long pauseMillis = 50;
    while (true) {
      try {
        client.machineLockMachine(machine, sessionObject, lockType);
        return;
      } catch (VirtualBoxFault e) {
        Duration left = Duration.between(clock.instant(), deadline);
        if (e.resultCode() != ResultCodes.VBOX_E_INVALID_OBJECT_STATE || left.isNegative()
            || left.isZero()) {
          if (e.resultCode() == ResultCodes.VBOX_E_INVALID_OBJECT_STATE) {
            throw new BackendException("VirtualBox machine " + describeMachine(machineId)
                + " stayed locked by another session (VBoxManage, the GUI or another host)"
                + " for " + settings.lockTimeout().toMillis() + " ms: " + e.text(), true, null,
                e);
          }
          throw e;
        }
        sleep(Math.min(pauseMillis, left.toMillis()));
        pauseMillis = Math.min(pauseMillis * 2, 500);
      }
    }
  }

  private MachineStates.Kind requireChangeable(String state, String machineId) {
    MachineStates.Kind kind = MachineStates.kind(state);
    if (kind == MachineStates.Kind.SAVED) {
      throw new BackendException("VirtualBox machine " + describeMachine(machineId)
          + " is in state " + state + ": its disks cannot change until it is started or its"
          + " saved state is discarded", false, null, null);
    }
    if (kind == MachineStates.Kind.BUSY) {
      throw new BackendException("VirtualBox machine " + describeMachine(machineId)
          + " is in state " + state + ": its disks cannot change now", true, null, null);
    }
    return kind;
  }

  private ObjectRef controller(ObjectRef machine, String machineId) {
    try {
      return client.machineGetStorageControllerByName(machine, settings.controllerName());
    } catch (VirtualBoxFault e) {
      if (e.resultCode() != ResultCodes.VBOX_E_OBJECT_NOT_FOUND) {
        throw e;
      }
      List<String> names = client.machineGetStorageControllers(machine).stream()
          .map(client::storageControllerGetName).map(InvalidArgumentException::quote).toList();
      throw new ConfigurationException(SOURCE, List.of("virtualbox.controllerName "
          + quote(settings.controllerName()) + " names no storage controller of VirtualBox"
          + " machine " + describeMachine(machineId) + "; it has "
          + (names.isEmpty() ? "none" : String.join(", ", names))
          + " (set virtualbox.controllerName to one of them, or add a SATA controller)"));
    }
  }

  private ObjectRef machine(Logon logon, String machineId) {
    try {
      return logon.machine(machineId);
    } catch (VirtualBoxFault e) {
      if (e.resultCode() != ResultCodes.VBOX_E_OBJECT_NOT_FOUND) {
        throw e;
      }
      throw new InvalidArgumentException("instance id", machineId,
          "names no VirtualBox machine known to vboxwebsrv at " + client.endpoint());
    }
  }

  private VolumeInUseException inUseElsewhere(KnownMedium medium, VirtualBoxFault cause) {
    String name = volumes.nameOf(medium.location()).orElse(medium.location());
    List<String> holders = client.mediumGetMachineIds(medium.ref());
    VolumeInUseException e = VolumeInUseException.byInstance(name,
        holders.isEmpty() ? "another VirtualBox machine" : String.join(", ", holders));
    e.addSuppressed(cause);
    return e;
  }

  private String describeMachine(String machineId) {
    LocalMachine known = local;
    return known != null && known.uuid().equals(machineId) ? known.toString() : machineId;
  }

  private <T> T serialized(String machineId, Supplier<T> change) {
    ReentrantLock lock = machineLocks.computeIfAbsent(machineId, id -> new ReentrantLock());
    Duration wait = settings.lockTimeout().plus(client.requestTimeout().multipliedBy(4));
    try {
      if (!lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new OperationTimeoutException("another attach or detach of VirtualBox machine "
            + describeMachine(machineId) + " in this process", wait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendException("interrupted while waiting to change VirtualBox machine "
          + describeMachine(machineId), true, null, e);
    }
    try {
      return change.get();
    } finally {
      lock.unlock();
    }
  }

  private static Optional<MediumAttachmentInfo> holding(List<MediumAttachmentInfo> slots,
      ObjectRef medium) {
    return slots.stream().filter(slot -> slot.holds(medium)).findFirst();
  }

  private static VboxAttachment attachment(MediumUuid uuid, String machineId,
      MediumAttachmentInfo slot) {
    return new VboxAttachment(uuid, machineId, slot.controller(), slot.port(), slot.device());
  }

  // media

  private Optional<ObjectRef> open(Logon logon, String locationOrId) {
    try {
      return Optional.of(client.openMedium(logon.vbox(), locationOrId));
    } catch (VirtualBoxFault e) {
      if (e.resultCode() == ResultCodes.VBOX_E_OBJECT_NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private VboxVolume describe(Logon logon, ObjectRef medium, String location, String name) {
    String id = client.mediumGetId(medium);
    return describe(logon, medium, location, name, MediumUuid.parse(id).orElseThrow(
        () -> new BackendException("VirtualBox reports medium " + location + " with the id "
            + quote(id) + ", which is not a UUID", false, null, null)));
  }

  private VboxVolume describe(Logon logon, ObjectRef medium, String location, String name,
      MediumUuid uuid) {
    VboxVolume volume = new VboxVolume(uuid, name, location,
        client.mediumGetLogicalSize(medium), client.mediumGetMachineIds(medium));
    logon.rememberMedium(uuid, new KnownMedium(medium, location));
    return volume;
  }

  /**
   * Runs a step on a volume's medium: the one this logon knows, else the one VirtualBox finds
   * by UUID under the volume directory. A medium whose call fails is forgotten, so that the
   * next operation asks VirtualBox again.
   */
  private <T> T withMedium(Logon logon, MediumUuid uuid, Function<KnownMedium, T> step) {
    KnownMedium medium = logon.knownMedium(uuid).orElseGet(() -> {
      ObjectRef ref = open(logon, uuid.value())
          .orElseThrow(() -> new VolumeNotFoundException(uuid.value()));
      String location = client.mediumGetLocation(ref);
      if (volumes.nameOf(location).isEmpty()) {
        throw new VolumeNotFoundException(uuid.value());
      }
      KnownMedium found = new KnownMedium(ref, location);
      logon.rememberMedium(uuid, found);
      return found;
    });
    try {
      return step.apply(medium);
    } catch (VirtualBoxFault e) {
      logon.forgetMedium(uuid);
      throw e;
    }
  }

  private static MediumUuid volumeUuid(String id) {
    return MediumUuid.parse(id).orElseThrow(() -> new VolumeNotFoundException(id));
  }

  /**
   * Waits for a task until the progress timeout; on time-out cancels it. Releases the
   * progress in every case.
   */
  private void awaitProgress(ObjectRef progress, String operation, String what) {
    Instant deadline = clock.instant().plus(settings.progressTimeout());
    long sliceMillis = Math.min(Integer.MAX_VALUE, client.requestTimeout().toMillis() / 2);
    try {
      while (true) {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) {
          cancel(progress);
          throw new OperationTimeoutException(what, settings.progressTimeout());
        }
        client.progressWaitForCompletion(progress,
            (int) Math.max(1, Math.min(left.toMillis(), sliceMillis)));
        if (client.progressGetCompleted(progress)) {
          break;
        }
      }
      int resultCode = client.progressGetResultCode(progress);
      if (resultCode != 0) {
        throw new VirtualBoxFault(operation, resultCode, what + " failed: "
            + errorText(progress));
      }
    } finally {
      releaseQuietly(progress);
    }
  }

  private void cancel(ObjectRef progress) {
    try {
      client.progressCancel(progress);
      client.progressWaitForCompletion(progress, (int) Math.min(CANCEL_GRACE.toMillis(),
          Math.max(1, client.requestTimeout().toMillis() / 2)));
    } catch (BackendException e) {
      LOG.warn("cancelling a VirtualBox task failed: {}", e.getMessage());
    }
  }

  private String errorText(ObjectRef progress) {
    Optional<ObjectRef> info = client.progressGetErrorInfo(progress);
    if (info.isEmpty()) {
      return "(no message)";
    }
    try {
      return client.virtualBoxErrorInfoGetText(info.get());
    } finally {
      releaseQuietly(info.get());
    }
  }

  /**
   * Removes what a failed creation left: a disk that got created is deleted, an inaccessible
   * one is closed, and a medium that never got created needs nothing but its reference
   * released.
   */
  private void discardFailedMedium(ObjectRef medium, String location, RuntimeException cause) {
    if (cause instanceof StaleReferenceException) {
      return;
    }
    try {
      String state = client.mediumGetState(medium);
      switch (state) {
        case "Created" -> awaitProgress(client.mediumDeleteStorage(medium),
            "IMedium_deleteStorage", "deleting the disk a failed creation left at " + location);
        case "Inaccessible" -> client.mediumClose(medium);
        case "NotCreated" -> {
          // nothing was written or registered
        }
        default -> LOG.warn("a failed creation left the disk at {} in state {}; remove it with"
            + " VBoxManage closemedium disk {} --delete once the task ends", location, state,
            location);
      }
    } catch (BackendException e) {
      cause.addSuppressed(e);
    } finally {
      releaseQuietly(medium);
    }
  }

  private void releaseQuietly(ObjectRef ref) {
    try {
      client.release(ref);
    } catch (BackendException e) {
      LOG.debug("releasing reference {} failed: {}", ref, e.getMessage());
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendException("interrupted while waiting for a VirtualBox machine lock",
          true, null, e);
    }
  }
}
