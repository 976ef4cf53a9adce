package io.llmgateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A Lambda zip extracted the way the Lambda Java runtime lays it out: classes at the root, jars
 * under {@code lib/}. Its classpath is the root, then every {@code lib/*.jar} in name order, and
 * nothing else: load a handler from it in an {@link #isolatedClassLoader() isolated class loader}, or
 * in a fresh JVM with {@link ChildJvm}. Closing deletes the extracted files.
 */
public final class ExtractedZip implements AutoCloseable {

    private final Path zip;
    private final Path base;
    private final Path root;
    private final List<URLClassLoader> loaders = new ArrayList<>();

    private ExtractedZip(Path zip, Path base, Path root) {
        this.zip = zip;
        this.base = base;
        this.root = root;
    }

    /** Extracts {@code zip} into a new temporary directory. */
    public static ExtractedZip of(Path zip) throws IOException {
        Path base = Files.createTempDirectory("lambda-zip");
        Path root = Files.createDirectories(base.resolve("root"));
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : Collections.list(file.entries())) {
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root)) {
                    throw new IOException("entry outside the archive root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = file.getInputStream(entry)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        return new ExtractedZip(zip, base, root);
    }

    public Path zip() {
        return zip;
    }

    public Path root() {
        return root;
    }

    /** As the Lambda Java runtime orders it: the archive root, then every jar under lib/ in name order. */
    public List<Path> classpath() {
        List<Path> entries = new ArrayList<>();
        entries.add(root);
        Path lib = root.resolve("lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> jars = Files.list(lib)) {
                jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(entries::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return entries;
    }

    /**
     * {@link #classpath()} plus a directory holding copies of these compiled classes (each with its
     * nested classes), for a fresh JVM that runs one of them as its main class. Only the named
     * classes are copied, so they must need nothing but the JDK and the zip.
     */
    public List<Path> classpathWith(Class<?>... classes) throws IOException {
        Path extra = Files.createTempDirectory(base, "extra");
        for (Class<?> type : classes) {
            Path compiled = compiledLocation(type);
            String packagePath = type.getPackageName().replace('.', '/');
            Path from = compiled.resolve(packagePath);
            Path to = Files.createDirectories(extra.resolve(packagePath));
            String simple = type.getName().substring(type.getName().lastIndexOf('.') + 1);
            try (Stream<Path> files = Files.list(from)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    String name = file.getFileName().toString();
                    if (name.equals(simple + ".class") || name.startsWith(simple + "$")) {
                        Files.copy(file, to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        List<Path> entries = new ArrayList<>(classpath());
        entries.add(extra);
        return entries;
    }

    /**
     * A class loader on {@link #classpath()} alone whose parent is the platform class loader: it sees
     * the zip and the JDK, nothing of the test classpath. Closed with this zip.
     */
    public ClassLoader isolatedClassLoader() {
        List<URL> urls = new ArrayList<>();
        for (Path entry : classpath()) {
            try {
                urls.add(entry.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }
        URLClassLoader loader = new URLClassLoader("lambda-zip:" + zip.getFileName(), urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader());
        loaders.add(loader);
        return loader;
    }

    private static Path compiledLocation(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        for (URLClassLoader loader : loaders) {
            loader.close();
        }
        try (Stream<Path> paths = Files.walk(base)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }
}
