package io.stowage.driver.virtualbox;

import io.stowage.driver.virtualbox.DoubleModel.Vm;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A VirtualBox host for the tests of programs that use the virtualbox driver, such as the
 * {@code stowage} command: a vboxwebsrv double (VirtualBox 7.1, no authentication) with one
 * running VM, {@value #MACHINE}, that has this host's MAC addresses and a 30-port SATA
 * controller, and whose guest disks appear in a temporary tree ({@link GuestDisks}): with
 * loop devices, a real block device for each disk the driver attaches. Public for the tests of
 * other modules, through this module's test jar.
 */
public final class VboxTestBed implements AutoCloseable {
  /** The name of the VM this host runs in. */
  public static final String MACHINE = "stowage-guest";

  private final VboxWebServiceDouble vbox;
  private final Vm machine;
  private final GuestDisks guest;

  private VboxTestBed(Path dir, boolean loopDevices, Set<String> macs) {
    vbox = VboxWebServiceDouble.start(VboxWebServiceDouble.V7_1);
    try {
      machine = vbox.addVm(MACHINE, "Running", "PIIX3", macs.toArray(String[]::new));
      vbox.addController(machine, "SATA", "SATA", 30);
      guest = new GuestDisks(dir, loopDevices);
      vbox.watchGuest(machine, guest);
    } catch (RuntimeException e) {
      vbox.close();
      throw e;
    }
  }

  /**
   * Starts a test bed whose VM has the MAC addresses of this host's network interfaces, so
   * that the driver finds it as it would on a real guest.
   *
   * @param dir an empty directory for the guest's device tree and disk images
   * @param loopDevices whether attached disks are loop devices (needs root) or stand-in files
   * @return the running test bed
   * @throws IllegalStateException when this host has no network interface with a MAC address
   */
  public static VboxTestBed start(Path dir, boolean loopDevices) {
    Set<String> macs = hostMacAddresses();
    if (macs.isEmpty()) {
      throw new IllegalStateException("this host has no network interface with a MAC address");
    }
    return new VboxTestBed(dir, loopDevices, macs);
  }

  /**
   * Returns the MAC addresses of this host's network interfaces, as the driver reads them.
   *
   * @return upper-case hex digits without separators; empty when there are none
   */
  public static Set<String> hostMacAddresses() {
    return new HostNics(Path.of("/sys/class/net")).macAddresses();
  }

  /**
   * Returns vboxwebsrv's URL, for {@code virtualbox.endpoint}.
   *
   * @return the URL on the loopback interface
   */
  public URI endpoint() {
    return vbox.uri();
  }

  /**
   * Returns the guest's udev link directory, for {@code virtualbox.diskIDPath}.
   *
   * @return the directory
   */
  public Path diskIdPath() {
    return guest.diskIdPath();
  }

  /**
   * Returns the guest's SCSI host directory, for {@code virtualbox.scsiHostPath}.
   *
   * @return the directory
   */
  public Path scsiHostPath() {
    return guest.scsiHostPath();
  }

  /**
   * Returns what the driver last wrote to the SCSI host's {@code scan} file.
   *
   * @return {@code - - -} after a rescan; empty before the first
   */
  public String lastScan() {
    return guest.lastScan();
  }

  /**
   * Returns the UUID of the VM this host runs in.
   *
   * @return the machine UUID
   */
  public String machineUuid() {
    return machine.uuid;
  }

  /**
   * Registers a disk of another VM, outside any volume directory.
   *
   * @param location its path on the VirtualBox host
   */
  public void addForeignDisk(String location) {
    vbox.addDisk(location, 8L << 30);
  }

  /**
   * Returns whether VirtualBox has a disk registered at a location.
   *
   * @param location a path on the VirtualBox host
   * @return true when registered
   */
  public boolean hasDisk(String location) {
    return vbox.registeredDisk(location).isPresent();
  }

  /**
   * Returns the block devices of the disks the guest sees now.
   *
   * @return the devices, such as {@code /dev/loop3}
   */
  public List<Path> guestDevices() {
    return guest.disks().stream().map(disk -> guest.deviceOf(disk).orElseThrow()).toList();
  }

  /**
   * Returns the number of SOAP calls since the last reset.
   *
   * @return the calls of every operation
   */
  public int calls() {
    return vbox.totalCalls();
  }

  /** Forgets the call counts. */
  public void resetCalls() {
    vbox.resetCounts();
  }

  /**
   * Returns what went wrong that the driver could not see: requests that broke vboxwebsrv's
   * schema, and device changes the guest failed to make.
   *
   * @return the problems; tests assert it empty
   */
  public List<String> problems() {
    List<String> problems = new ArrayList<>(vbox.schemaViolations());
    problems.addAll(vbox.guestFailures());
    return problems;
  }

  /** Stops the double and pulls out the guest's disks, detaching their loop devices. */
  @Override
  public void close() {
    try {
      vbox.close();
    } finally {
      guest.close();
    }
  }
}
