package io.stowage.driver.virtualbox;

import static io.stowage.driver.virtualbox.SoapParam.of;
import static io.stowage.driver.virtualbox.SoapParam.ref;
import static io.stowage.driver.virtualbox.SoapParam.self;

import io.stowage.exception.BackendException;
import io.stowage.exception.InvalidArgumentException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A typed client of the vboxwebsrv operations Stowage uses: one method per SOAP operation,
 * named after it, with the WSDL's parameters in the WSDL's order. It holds no state of its own
 * (the web session lives in {@link WebSession}). Thread-safe.
 *
 * <p>Enumerations travel as their names: {@link #LOCK_SHARED}, {@link #LOCK_WRITE},
 * {@link #HARD_DISK} and so on.
 */
final class VboxWebClient {
  /** {@code LockType} for a running VM: changes the running machine through its VM process. */
  static final String LOCK_SHARED = "Shared";
  /** {@code LockType} for a VM that does not run: exclusive access to its settings. */
  static final String LOCK_WRITE = "Write";
  /** {@code DeviceType} of a hard disk. */
  static final String HARD_DISK = "HardDisk";
  /** {@code AccessMode} for a disk that is written. */
  static final String READ_WRITE = "ReadWrite";
  /** {@code MediumVariant} of a dynamically allocated image. */
  static final String VARIANT_STANDARD = "Standard";

  /** A well-formed reference no web session holds: web session 0, object 0. */
  private static final ObjectRef NO_SUCH_OBJECT =
      new ObjectRef("0000000000000000-0000000000000000");

  private final SoapTransport transport;

  /**
   * Creates a client over a transport.
   *
   * @param transport the transport to vboxwebsrv
   */
  VboxWebClient(SoapTransport transport) {
    this.transport = transport;
  }

  /**
   * Returns the endpoint as messages show it.
   *
   * @return the endpoint
   */
  String endpoint() {
    return transport.describeEndpoint();
  }

  /**
   * Returns the bound on one call; a server-side wait must end well within it.
   *
   * @return the request timeout
   */
  Duration requestTimeout() {
    return transport.requestTimeout();
  }

  // IWebsessionManager and IManagedObjectRef

  /**
   * {@code IWebsessionManager_logon}: opens a web session.
   *
   * @param username the user
   * @param password the password
   * @return the session's {@code IVirtualBox}
   */
  ObjectRef logon(String username, String password) {
    return refResult("IWebsessionManager_logon", of("username", username),
        of("password", password));
  }

  /**
   * {@code IWebsessionManager_getSessionObject}: a new {@code ISession} to lock machines with.
   *
   * @param vbox the session's {@code IVirtualBox}
   * @return the session object
   */
  ObjectRef getSessionObject(ObjectRef vbox) {
    return refResult("IWebsessionManager_getSessionObject", ref("refIVirtualBox", vbox));
  }

  /**
   * {@code IWebsessionManager_logoff}: ends the web session and frees its references.
   *
   * @param vbox the session's {@code IVirtualBox}
   */
  void logoff(ObjectRef vbox) {
    call("IWebsessionManager_logoff", ref("refIVirtualBox", vbox));
  }

  /**
   * {@code IManagedObjectRef_release}: frees one reference.
   *
   * @param object the reference
   */
  void release(ObjectRef object) {
    call("IManagedObjectRef_release", self(object));
  }

  /**
   * Tells vboxwebsrv apart from other web services without logging on: asks
   * {@code IVirtualBox_getVersion} of a reference no web session has, which vboxwebsrv, and
   * only it, answers with an {@code InvalidObjectFault} (or a VirtualBox {@code RuntimeFault}).
   *
   * @return whether the endpoint answered as vboxwebsrv does
   * @throws BackendException when it cannot be reached or answers with no SOAP at all
   * @throws io.stowage.exception.OperationTimeoutException when it does not answer in time
   */
  boolean answersAsVboxwebsrv() {
    try {
      call("IVirtualBox_getVersion", self(NO_SUCH_OBJECT));
      return false;
    } catch (StaleReferenceException | VirtualBoxFault e) {
      return true;
    } catch (SoapFaultException e) {
      return false;
    }
  }

  // IVirtualBox

  /**
   * {@code IVirtualBox_getVersion}.
   *
   * @param vbox the {@code IVirtualBox}
   * @return the version, such as {@code 7.1.4} or {@code 6.1.50_Ubuntu}
   */
  String getVersion(ObjectRef vbox) {
    return text("IVirtualBox_getVersion", self(vbox));
  }

  /**
   * {@code IVirtualBox_findMachine}.
   *
   * @param vbox the {@code IVirtualBox}
   * @param nameOrId a machine name or UUID
   * @return the machine
   */
  ObjectRef findMachine(ObjectRef vbox, String nameOrId) {
    return refResult("IVirtualBox_findMachine", self(vbox), of("nameOrId", nameOrId));
  }

  /**
   * {@code IVirtualBox_getMachines}.
   *
   * @param vbox the {@code IVirtualBox}
   * @return every registered machine
   */
  List<ObjectRef> getMachines(ObjectRef vbox) {
    return refs("IVirtualBox_getMachines", self(vbox));
  }

  /**
   * {@code IVirtualBox_getHardDisks}.
   *
   * @param vbox the {@code IVirtualBox}
   * @return every registered base hard disk
   */
  List<ObjectRef> getHardDisks(ObjectRef vbox) {
    return refs("IVirtualBox_getHardDisks", self(vbox));
  }

  /**
   * {@code IVirtualBox_openMedium} for a hard disk, read-write, keeping its UUID. Returns the
   * registered medium of that location or UUID, or opens and registers the image there.
   *
   * @param vbox the {@code IVirtualBox}
   * @param locationOrId a full path on the VirtualBox host, or a medium UUID
   * @return the medium
   */
  ObjectRef openMedium(ObjectRef vbox, String locationOrId) {
    return refResult("IVirtualBox_openMedium", self(vbox), of("location", locationOrId),
        of("deviceType", HARD_DISK), of("accessMode", READ_WRITE), of("forceNewUuid", false));
  }

  /**
   * {@code IVirtualBox_createMedium} for a hard disk: a medium object in state
   * {@code NotCreated}, not registered until its storage is created.
   *
   * @param vbox the {@code IVirtualBox}
   * @param format the format, such as {@code VMDK}
   * @param location the full path on the VirtualBox host
   * @return the medium
   */
  ObjectRef createMedium(ObjectRef vbox, String format, String location) {
    return refResult("IVirtualBox_createMedium", self(vbox), of("format", format),
        of("location", location), of("accessMode", READ_WRITE),
        of("aDeviceTypeType", HARD_DISK));
  }

  /**
   * {@code IVirtualBox_getSystemProperties} (the adapter count's home up to VirtualBox 7.0).
   *
   * @param vbox the {@code IVirtualBox}
   * @return the {@code ISystemProperties}
   */
  ObjectRef getSystemProperties(ObjectRef vbox) {
    return refResult("IVirtualBox_getSystemProperties", self(vbox));
  }

  /**
   * {@code IVirtualBox_getPlatformProperties} (VirtualBox 7.1 and later).
   *
   * @param vbox the {@code IVirtualBox}
   * @param architecture the {@code PlatformArchitecture}, such as {@code x86}
   * @return the {@code IPlatformProperties}
   */
  ObjectRef getPlatformProperties(ObjectRef vbox, String architecture) {
    return refResult("IVirtualBox_getPlatformProperties", self(vbox),
        of("architecture", architecture));
  }

  /**
   * {@code ISystemProperties_getMaxNetworkAdapters} (up to VirtualBox 7.0).
   *
   * @param systemProperties the {@code ISystemProperties}
   * @param chipset the {@code ChipsetType}
   * @return the number of network adapter slots of a machine with that chipset
   */
  long systemPropertiesGetMaxNetworkAdapters(ObjectRef systemProperties, String chipset) {
    return unsigned("ISystemProperties_getMaxNetworkAdapters", self(systemProperties),
        of("chipset", chipset));
  }

  /**
   * {@code IPlatformProperties_getMaxNetworkAdapters} (VirtualBox 7.1 and later).
   *
   * @param platformProperties the {@code IPlatformProperties}
   * @param chipset the {@code ChipsetType}
   * @return the number of network adapter slots of a machine with that chipset
   */
  long platformPropertiesGetMaxNetworkAdapters(ObjectRef platformProperties, String chipset) {
    return unsigned("IPlatformProperties_getMaxNetworkAdapters", self(platformProperties),
        of("chipset", chipset));
  }

  // IMachine, IPlatform, INetworkAdapter

  /**
   * {@code IMachine_getId}.
   *
   * @param machine the machine
   * @return its UUID
   */
  String machineGetId(ObjectRef machine) {
    return text("IMachine_getId", self(machine)).strip();
  }

  /**
   * {@code IMachine_getName}.
   *
   * @param machine the machine
   * @return its name
   */
  String machineGetName(ObjectRef machine) {
    return text("IMachine_getName", self(machine));
  }

  /**
   * {@code IMachine_getState}.
   *
   * @param machine the machine
   * @return its {@code MachineState}, such as {@code Running} or {@code PoweredOff}
   */
  String machineGetState(ObjectRef machine) {
    return text("IMachine_getState", self(machine)).strip();
  }

  /**
   * {@code IMachine_getChipsetType} (up to VirtualBox 7.0).
   *
   * @param machine the machine
   * @return its {@code ChipsetType}
   */
  String machineGetChipsetType(ObjectRef machine) {
    return text("IMachine_getChipsetType", self(machine)).strip();
  }

  /**
   * {@code IMachine_getPlatform} (VirtualBox 7.1 and later).
   *
   * @param machine the machine
   * @return its {@code IPlatform}
   */
  ObjectRef machineGetPlatform(ObjectRef machine) {
    return refResult("IMachine_getPlatform", self(machine));
  }

  /**
   * {@code IPlatform_getChipsetType} (VirtualBox 7.1 and later).
   *
   * @param platform the machine's platform
   * @return its {@code ChipsetType}
   */
  String platformGetChipsetType(ObjectRef platform) {
    return text("IPlatform_getChipsetType", self(platform)).strip();
  }

  /**
   * {@code IPlatform_getArchitecture} (VirtualBox 7.1 and later).
   *
   * @param platform the machine's platform
   * @return its {@code PlatformArchitecture}, such as {@code x86}
   */
  String platformGetArchitecture(ObjectRef platform) {
    return text("IPlatform_getArchitecture", self(platform)).strip();
  }

  /**
   * {@code IMachine_getNetworkAdapter}.
   *
   * @param machine the machine
   * @param slot the adapter slot, from 0
   * @return the adapter
   */
  ObjectRef machineGetNetworkAdapter(ObjectRef machine, long slot) {
    return refResult("IMachine_getNetworkAdapter", self(machine), of("slot", slot));
  }

  /**
   * {@code INetworkAdapter_getMACAddress}.
   *
   * @param adapter the adapter
   * @return its MAC address, 12 hex digits
   */
  String networkAdapterGetMACAddress(ObjectRef adapter) {
    return text("INetworkAdapter_getMACAddress", self(adapter)).strip();
  }

  /**
   * {@code INetworkAdapter_getEnabled}.
   *
   * @param adapter the adapter
   * @return whether the guest has the adapter
   */
  boolean networkAdapterGetEnabled(ObjectRef adapter) {
    return bool("INetworkAdapter_getEnabled", self(adapter));
  }

  /**
   * {@code IMachine_lockMachine}.
   *
   * @param machine the machine
   * @param session the {@code ISession} to hold the lock
   * @param lockType {@link #LOCK_SHARED} or {@link #LOCK_WRITE}
   */
  void machineLockMachine(ObjectRef machine, ObjectRef session, String lockType) {
    call("IMachine_lockMachine", self(machine), ref("session", session),
        of("lockType", lockType));
  }

  /**
   * {@code ISession_getMachine}: the mutable machine of a locked session.
   *
   * @param session the session
   * @return the mutable machine
   */
  ObjectRef sessionGetMachine(ObjectRef session) {
    return refResult("ISession_getMachine", self(session));
  }

  /**
   * {@code ISession_unlockMachine}.
   *
   * @param session the session
   */
  void sessionUnlockMachine(ObjectRef session) {
    call("ISession_unlockMachine", self(session));
  }

  /**
   * {@code IMachine_getStorageControllerByName}.
   *
   * @param machine the machine
   * @param name the controller name
   * @return the controller
   */
  ObjectRef machineGetStorageControllerByName(ObjectRef machine, String name) {
    return refResult("IMachine_getStorageControllerByName", self(machine), of("name", name));
  }

  /**
   * {@code IMachine_getStorageControllers}.
   *
   * @param machine the machine
   * @return its controllers
   */
  List<ObjectRef> machineGetStorageControllers(ObjectRef machine) {
    return refs("IMachine_getStorageControllers", self(machine));
  }

  /**
   * {@code IStorageController_getName}.
   *
   * @param controller the controller
   * @return its name
   */
  String storageControllerGetName(ObjectRef controller) {
    return text("IStorageController_getName", self(controller));
  }

  /**
   * {@code IStorageController_getBus}.
   *
   * @param controller the controller
   * @return its {@code StorageBus}, such as {@code SATA} or {@code IDE}
   */
  String storageControllerGetBus(ObjectRef controller) {
    return text("IStorageController_getBus", self(controller)).strip();
  }

  /**
   * {@code IStorageController_getPortCount}: the ports configured, which may be fewer than
   * the controller's maximum.
   *
   * @param controller the controller
   * @return the number of ports
   */
  long storageControllerGetPortCount(ObjectRef controller) {
    return unsigned("IStorageController_getPortCount", self(controller));
  }

  /**
   * {@code IMachine_getMediumAttachments}.
   *
   * @param machine the machine
   * @return every device slot in use
   */
  List<MediumAttachmentInfo> machineGetMediumAttachments(ObjectRef machine) {
    return attachments("IMachine_getMediumAttachments", self(machine));
  }

  /**
   * {@code IMachine_getMediumAttachmentsOfController}.
   *
   * @param machine the machine
   * @param name the controller name
   * @return the controller's device slots in use
   */
  List<MediumAttachmentInfo> machineGetMediumAttachmentsOfController(ObjectRef machine,
      String name) {
    return attachments("IMachine_getMediumAttachmentsOfController", self(machine),
        of("name", name));
  }

  /**
   * {@code IMachine_attachDevice} for a hard disk.
   *
   * @param machine the mutable machine
   * @param name the controller name
   * @param controllerPort the port
   * @param device the device slot on the port
   * @param medium the disk
   */
  void machineAttachDevice(ObjectRef machine, String name, int controllerPort, int device,
      ObjectRef medium) {
    call("IMachine_attachDevice", self(machine), of("name", name),
        of("controllerPort", controllerPort), of("device", device), of("type", HARD_DISK),
        ref("medium", medium));
  }

  /**
   * {@code IMachine_detachDevice}.
   *
   * @param machine the mutable machine
   * @param name the controller name
   * @param controllerPort the port
   * @param device the device slot on the port
   */
  void machineDetachDevice(ObjectRef machine, String name, int controllerPort, int device) {
    call("IMachine_detachDevice", self(machine), of("name", name),
        of("controllerPort", controllerPort), of("device", device));
  }

  /**
   * {@code IMachine_setHotPluggableForDevice}.
   *
   * @param machine the mutable machine
   * @param name the controller name
   * @param controllerPort the port
   * @param device the device slot on the port
   * @param hotPluggable whether the device may be unplugged while the VM runs
   */
  void machineSetHotPluggableForDevice(ObjectRef machine, String name, int controllerPort,
      int device, boolean hotPluggable) {
    call("IMachine_setHotPluggableForDevice", self(machine), of("name", name),
        of("controllerPort", controllerPort), of("device", device),
        of("hotPluggable", hotPluggable));
  }

  /**
   * {@code IMachine_saveSettings}.
   *
   * @param machine the mutable machine
   */
  void machineSaveSettings(ObjectRef machine) {
    call("IMachine_saveSettings", self(machine));
  }

  /**
   * {@code IMachine_discardSettings}.
   *
   * @param machine the mutable machine
   */
  void machineDiscardSettings(ObjectRef machine) {
    call("IMachine_discardSettings", self(machine));
  }

  // IMedium

  /**
   * {@code IMedium_getId}.
   *
   * @param medium the medium
   * @return its UUID
   */
  String mediumGetId(ObjectRef medium) {
    return text("IMedium_getId", self(medium)).strip();
  }

  /**
   * {@code IMedium_getLocation}.
   *
   * @param medium the medium
   * @return its full path on the VirtualBox host
   */
  String mediumGetLocation(ObjectRef medium) {
    return text("IMedium_getLocation", self(medium));
  }

  /**
   * {@code IMedium_getLogicalSize}.
   *
   * @param medium the medium
   * @return the size the guest sees, in bytes
   */
  long mediumGetLogicalSize(ObjectRef medium) {
    return number("IMedium_getLogicalSize", self(medium));
  }

  /**
   * {@code IMedium_getMachineIds}.
   *
   * @param medium the medium
   * @return the UUIDs of the machines it is attached to
   */
  List<String> mediumGetMachineIds(ObjectRef medium) {
    return call("IMedium_getMachineIds", self(medium)).stream()
        .map(n -> n.text().strip()).filter(s -> !s.isEmpty()).toList();
  }

  /**
   * {@code IMedium_getState}.
   *
   * @param medium the medium
   * @return its {@code MediumState}, such as {@code Created} or {@code NotCreated}
   */
  String mediumGetState(ObjectRef medium) {
    return text("IMedium_getState", self(medium)).strip();
  }

  /**
   * {@code IMedium_createBaseStorage}.
   *
   * @param medium a medium in state {@code NotCreated}
   * @param logicalSize the size in bytes
   * @param variants the {@code MediumVariant} flags
   * @return the progress of the creation
   */
  ObjectRef mediumCreateBaseStorage(ObjectRef medium, long logicalSize, List<String> variants) {
    List<SoapParam> params = new ArrayList<>();
    params.add(self(medium));
    params.add(of("logicalSize", logicalSize));
    variants.forEach(v -> params.add(of("variant", v)));
    return single("IMedium_createBaseStorage", call("IMedium_createBaseStorage", params));
  }

  /**
   * {@code IMedium_resize}: changes the medium's logical size.
   *
   * @param medium the medium
   * @param logicalSize the new size in bytes
   * @return the progress of the resize
   */
  ObjectRef mediumResize(ObjectRef medium, long logicalSize) {
    return single("IMedium_resize", call("IMedium_resize",
        List.of(self(medium), of("logicalSize", logicalSize))));
  }

  /**
   * {@code IMedium_deleteStorage}: deletes the image and unregisters the medium.
   *
   * @param medium the medium
   * @return the progress of the deletion
   */
  ObjectRef mediumDeleteStorage(ObjectRef medium) {
    return refResult("IMedium_deleteStorage", self(medium));
  }

  /**
   * {@code IMedium_close}: unregisters the medium and keeps its image.
   *
   * @param medium the medium
   */
  void mediumClose(ObjectRef medium) {
    call("IMedium_close", self(medium));
  }

  // IProgress, IVirtualBoxErrorInfo

  /**
   * {@code IProgress_waitForCompletion}: returns when the task ends or the timeout passes.
   *
   * @param progress the progress
   * @param timeoutMillis the longest wait, in milliseconds
   */
  void progressWaitForCompletion(ObjectRef progress, int timeoutMillis) {
    call("IProgress_waitForCompletion", self(progress), of("timeout", timeoutMillis));
  }

  /**
   * {@code IProgress_getCompleted}.
   *
   * @param progress the progress
   * @return whether the task ended
   */
  boolean progressGetCompleted(ObjectRef progress) {
    return bool("IProgress_getCompleted", self(progress));
  }

  /**
   * {@code IProgress_getResultCode}.
   *
   * @param progress an ended progress
   * @return 0 on success, else a COM result code
   */
  int progressGetResultCode(ObjectRef progress) {
    return (int) number("IProgress_getResultCode", self(progress));
  }

  /**
   * {@code IProgress_getErrorInfo}.
   *
   * @param progress an ended, failed progress
   * @return its {@code IVirtualBoxErrorInfo}, if it has one
   */
  Optional<ObjectRef> progressGetErrorInfo(ObjectRef progress) {
    String info = text("IProgress_getErrorInfo", self(progress)).strip();
    return info.isEmpty() ? Optional.empty() : Optional.of(new ObjectRef(info));
  }

  /**
   * {@code IProgress_cancel}.
   *
   * @param progress the progress
   */
  void progressCancel(ObjectRef progress) {
    call("IProgress_cancel", self(progress));
  }

  /**
   * {@code IVirtualBoxErrorInfo_getText}.
   *
   * @param errorInfo the error information
   * @return its message
   */
  String virtualBoxErrorInfoGetText(ObjectRef errorInfo) {
    return text("IVirtualBoxErrorInfo_getText", self(errorInfo));
  }

  // helpers

  private List<XmlNode> call(String operation, SoapParam... params) {
    return call(operation, List.of(params));
  }

  /**
   * Calls an operation. A {@code RuntimeFault} comes with a new error information object in
   * the web session; its reference is released at once so that faults do not pile up there.
   */
  private List<XmlNode> call(String operation, List<SoapParam> params) {
    try {
      return transport.call(operation, params);
    } catch (VirtualBoxFault e) {
      if (!e.errorInfo().isEmpty()) {
        try {
          transport.call("IManagedObjectRef_release",
              List.of(self(new ObjectRef(e.errorInfo()))));
        } catch (BackendException releaseFailed) {
          e.addSuppressed(releaseFailed);
        }
      }
      throw e;
    }
  }

  private ObjectRef refResult(String operation, SoapParam... params) {
    return single(operation, call(operation, params));
  }

  private List<ObjectRef> refs(String operation, SoapParam... params) {
    return call(operation, params).stream().map(n -> n.text().strip())
        .filter(s -> !s.isEmpty()).map(ObjectRef::new).toList();
  }

  private List<MediumAttachmentInfo> attachments(String operation, SoapParam... params) {
    try {
      return call(operation, params).stream().map(MediumAttachmentInfo::from).toList();
    } catch (NumberFormatException e) {
      throw malformed(operation, "a medium attachment without a numeric port or device");
    }
  }

  private String text(String operation, SoapParam... params) {
    List<XmlNode> values = call(operation, params);
    if (values.size() != 1) {
      throw malformed(operation, values.size() + " return values instead of 1");
    }
    return values.get(0).text();
  }

  private long number(String operation, SoapParam... params) {
    String value = text(operation, params).strip();
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw malformed(operation, "the number " + InvalidArgumentException.quote(value));
    }
  }

  private long unsigned(String operation, SoapParam... params) {
    long value = number(operation, params);
    if (value < 0) {
      throw malformed(operation, "the negative count " + value);
    }
    return value;
  }

  private boolean bool(String operation, SoapParam... params) {
    String value = text(operation, params).strip();
    if (value.equals("true") || value.equals("1")) {
      return true;
    }
    if (value.equals("false") || value.equals("0")) {
      return false;
    }
    throw malformed(operation, "the boolean " + InvalidArgumentException.quote(value));
  }

  private ObjectRef single(String operation, List<XmlNode> values) {
    if (values.size() != 1 || values.get(0).text().isBlank()) {
      throw malformed(operation, values.isEmpty() ? "no object reference"
          : values.size() == 1 ? "an empty object reference"
          : values.size() + " object references instead of 1");
    }
    return new ObjectRef(values.get(0).text().strip());
  }

  private BackendException malformed(String operation, String what) {
    return new BackendException("vboxwebsrv at " + endpoint() + " answered " + operation
        + " with " + what, false, null, null);
  }
}
