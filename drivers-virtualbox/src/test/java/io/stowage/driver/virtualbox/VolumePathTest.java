package io.stowage.driver.virtualbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.ConfigurationException;
import io.stowage.exception.InvalidArgumentException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VolumePathTest {
  private final VolumePath unix = new VolumePath("/vbox/volumes/", "VMDK");

  @Test
  void aVolumeIsItsNameWithTheFormatsExtensionInTheDirectory() {
    assertEquals("/vbox/volumes/pgdata.vmdk", unix.locationOf("pgdata"));
    assertEquals(Optional.of("pgdata"), unix.nameOf("/vbox/volumes/pgdata.vmdk"));
    assertEquals(Optional.of("data.v2"), unix.nameOf("/vbox/volumes/data.v2.vmdk"));
  }

  @Test
  void disksElsewhereOrOfAnotherFormatAreNotVolumes() {
    assertEquals(Optional.empty(), unix.nameOf("/vbox/vms/node-1/node-1.vmdk"));
    assertEquals(Optional.empty(), unix.nameOf("/vbox/volumes-old/a.vmdk"));
    assertEquals(Optional.empty(), unix.nameOf("/vbox/volumes/sub/a.vmdk"));
    assertEquals(Optional.empty(), unix.nameOf("/vbox/volumes/a.vdi"));
    assertEquals(Optional.empty(), unix.nameOf("/vbox/volumes/.vmdk"));
    assertEquals(Optional.empty(), unix.nameOf("/vbox/volumes/-odd name.vmdk"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"../etc/passwd", "..", "a/b", "/abs", "a\\b", "C:x", "..hidden",
      "", " ", "a\u0000b"})
  void namesThatWouldLeaveTheDirectoryAreRefused(String name) {
    assertThrows(InvalidArgumentException.class, () -> unix.locationOf(name));
  }

  @Test
  void theRefusalNamesTheDirectory() {
    InvalidArgumentException e =
        assertThrows(InvalidArgumentException.class, () -> unix.locationOf("../x"));
    assertTrue(e.getMessage().contains("outside volumePath /vbox/volumes"), e.getMessage());
  }

  @Test
  void windowsHostPathsUseBackslashesAndIgnoreCase() {
    VolumePath windows = new VolumePath("C:\\Users\\me\\Volumes", "vdi");

    assertEquals("C:\\Users\\me\\Volumes\\pg.vdi", windows.locationOf("pg"));
    assertEquals(Optional.of("pg"), windows.nameOf("c:\\users\\ME\\volumes\\pg.VDI"));
    assertEquals(Optional.of("pg"), windows.nameOf("C:/Users/me/Volumes/pg.vdi"));
    assertEquals(Optional.empty(), windows.nameOf("C:\\Users\\me\\Other\\pg.vdi"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "volumes", "./volumes", "/vbox/../etc", "/vbox//volumes",
      "/vbox/./volumes"})
  void aMissingRelativeOrUnnormalizedDirectoryIsAConfigurationError(String path) {
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> new VolumePath(path, "VMDK"));
    assertTrue(e.getMessage().contains("virtualbox.volumePath"), e.getMessage());
  }
}
