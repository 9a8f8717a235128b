package io.stowage.driver.virtualbox;

import io.stowage.driver.virtualbox.WebSession.Logon;
import io.stowage.exception.ConfigurationException;
import io.stowage.exception.InvalidArgumentException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the VirtualBox machine this process runs in: the one {@code localMachineNameOrId}
 * names, or else the one running machine with an enabled network adapter whose MAC address is
 * one of this host's. Machines that do not run cannot be this host and are skipped, so a
 * powered-off clone does not make the answer ambiguous; two running machines with the same
 * MAC address are an error that names both and the setting that resolves it, never a guess.
 *
 * <p>A machine's number of adapter slots depends on its chipset and is asked the way the
 * VirtualBox version has it: {@code ISystemProperties_getMaxNetworkAdapters} up to 7.0,
 * {@code IPlatformProperties_getMaxNetworkAdapters} of the machine's platform from 7.1.
 */
final class LocalMachineFinder {
  private static final Logger LOG = LoggerFactory.getLogger(LocalMachineFinder.class);
  private static final String SOURCE = "the virtualbox driver settings";
  private static final Pattern VERSION = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})");

  private final VboxWebClient client;
  private final HostNics nics;

  /**
   * Creates a finder.
   *
   * @param client the web service client
   * @param nics this host's network interfaces
   */
  LocalMachineFinder(VboxWebClient client, HostNics nics) {
    this.client = client;
    this.nics = nics;
  }

  /**
   * Finds the local machine and remembers its reference in the logon.
   *
   * @param logon the web session's logon
   * @param nameOrId the configured machine name or UUID, if any
   * @return the machine
   * @throws ConfigurationException when the named machine does not exist, or when no running
   *     machine or more than one has this host's MAC addresses
   */
  LocalMachine find(Logon logon, Optional<String> nameOrId) {
    return nameOrId.isPresent() ? byNameOrId(logon, nameOrId.get()) : byMacAddress(logon);
  }

  private LocalMachine byNameOrId(Logon logon, String nameOrId) {
    ObjectRef machine;
    try {
      machine = client.findMachine(logon.vbox(), nameOrId);
    } catch (VirtualBoxFault e) {
      if (e.resultCode() != ResultCodes.VBOX_E_OBJECT_NOT_FOUND) {
        throw e;
      }
      throw new ConfigurationException(SOURCE, List.of("virtualbox.localMachineNameOrId "
          + InvalidArgumentException.quote(nameOrId) + " names no VirtualBox machine known to"
          + " vboxwebsrv at " + client.endpoint()));
    }
    return remember(logon, machine);
  }

  private LocalMachine byMacAddress(Logon logon) {
    Set<String> macs = nics.macAddresses();
    if (macs.isEmpty()) {
      throw new ConfigurationException(SOURCE, List.of("this host shows no network interface"
          + " with a MAC address under " + nics.netRoot() + ", so its VirtualBox machine"
          + " cannot be found by MAC address; set virtualbox.localMachineNameOrId"));
    }
    AdapterSlots slots = new AdapterSlots(logon, client.getVersion(logon.vbox()));
    List<ObjectRef> matches = new ArrayList<>();
    for (ObjectRef machine : client.getMachines(logon.vbox())) {
      if (MachineStates.kind(client.machineGetState(machine)) != MachineStates.Kind.RUNNING) {
        continue;
      }
      long count = slots.of(machine);
      for (long slot = 0; slot < count; slot++) {
        ObjectRef adapter = client.machineGetNetworkAdapter(machine, slot);
        if (macs.contains(HostNics.normalize(client.networkAdapterGetMACAddress(adapter)))
            && client.networkAdapterGetEnabled(adapter)) {
          matches.add(machine);
          break;
        }
      }
    }
    if (matches.isEmpty()) {
      throw new ConfigurationException(SOURCE, List.of("no running VirtualBox machine known to"
          + " vboxwebsrv at " + client.endpoint() + " has a network adapter with this host's"
          + " MAC address " + String.join(", ", macs) + "; set virtualbox.localMachineNameOrId"
          + " to the machine this host runs in"));
    }
    if (matches.size() > 1) {
      String machines = matches.stream()
          .map(m -> "\"" + client.machineGetName(m) + "\" (" + client.machineGetId(m) + ")")
          .collect(Collectors.joining(", "));
      throw new ConfigurationException(SOURCE, List.of(matches.size() + " running VirtualBox"
          + " machines have a network adapter with this host's MAC address "
          + String.join(", ", macs) + ": " + machines + " (cloned with the same MAC"
          + " addresses?); set virtualbox.localMachineNameOrId to the one this host runs in,"
          + " or give the clones new MAC addresses"));
    }
    return remember(logon, matches.get(0));
  }

  private LocalMachine remember(Logon logon, ObjectRef machine) {
    LocalMachine local = new LocalMachine(client.machineGetId(machine),
        client.machineGetName(machine));
    logon.rememberMachine(local.uuid(), machine);
    LOG.info("this host runs in VirtualBox machine {}", local);
    return local;
  }

  /**
   * The number of network adapter slots of each machine, asked once per chipset (and
   * platform architecture) the way the VirtualBox version has it.
   */
  private final class AdapterSlots {
    private final Logon logon;
    private final boolean platformApi;
    private final Map<String, Long> counts = new HashMap<>();
    private final Map<String, ObjectRef> platformProperties = new HashMap<>();
    private ObjectRef systemProperties;

    AdapterSlots(Logon logon, String version) {
      this.logon = logon;
      this.platformApi = usesPlatformApi(version);
      LOG.debug("VirtualBox {}: adapter counts through {}", version,
          platformApi ? "IPlatformProperties" : "ISystemProperties");
    }

    long of(ObjectRef machine) {
      if (!platformApi) {
        String chipset = client.machineGetChipsetType(machine);
        return counts.computeIfAbsent(chipset, c -> {
          if (systemProperties == null) {
            systemProperties = client.getSystemProperties(logon.vbox());
          }
          return client.systemPropertiesGetMaxNetworkAdapters(systemProperties, c);
        });
      }
      ObjectRef platform = client.machineGetPlatform(machine);
      String chipset = client.platformGetChipsetType(platform);
      String architecture = client.platformGetArchitecture(platform);
      return counts.computeIfAbsent(architecture + "/" + chipset, key -> {
        ObjectRef properties = platformProperties.computeIfAbsent(architecture,
            a -> client.getPlatformProperties(logon.vbox(), a));
        return client.platformPropertiesGetMaxNetworkAdapters(properties, chipset);
      });
    }
  }

  /**
   * Returns whether a VirtualBox version keeps chipsets and adapter counts in
   * {@code IPlatform}, which replaced them in 7.1.
   *
   * @param version the version, such as {@code 7.1.4} or {@code 6.1.50_Ubuntu r161033}
   * @return true from 7.1 on, and for a version that cannot be read
   */
  static boolean usesPlatformApi(String version) {
    Matcher m = VERSION.matcher(version);
    if (!m.lookingAt()) {
      return true;
    }
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    return major > 7 || major == 7 && minor >= 1;
  }
}
