package kz.ehr.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every JAX-RS resource method of a service, read from its compiled classes, and whether it says who may call it.
 * The services deny a method without a role or permit annotation ({@code quarkus.security.jaxrs.deny-unannotated-endpoints});
 * this list lets each service's test show that none of its real endpoints relies on that backstop by accident.
 */
public final class EndpointAnnotations {
    private static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
    private static final Set<String> ACCESS = Set.of("RolesAllowed", "PermitAll", "DenyAll", "Authenticated", "PermissionsAllowed");

    private EndpointAnnotations() {
    }

    /** One resource method: {@code "POST /api/v1/records RecordsResource.submit [PermitAll]"}. */
    public record Endpoint(String httpMethod, String path, String method, String access) {
        @Override
        public String toString() {
            return httpMethod + " " + path + " " + method + " [" + access + "]";
        }
    }

    /** The resource methods of every class compiled beside {@code anyClassOfTheService} (its {@code target/classes}). */
    public static List<Endpoint> endpoints(Class<?> anyClassOfTheService) {
        Path root;
        try {
            root = Path.of(anyClassOfTheService.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<Endpoint> endpoints = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, anyClassOfTheService.getClassLoader());
                String classPath = path(type);
                if (classPath == null) {
                    continue;
                }
                for (Method m : type.getDeclaredMethods()) {
                    String verb = annotation(m, HTTP_METHODS);
                    if (verb == null) {
                        continue;
                    }
                    String sub = path(m);
                    String access = annotation(m, ACCESS);
                    if (access == null) {
                        access = annotation(type, ACCESS);
                    }
                    endpoints.add(new Endpoint(verb, join(classPath, sub), type.getSimpleName() + "." + m.getName(),
                            access == null ? "none" : access));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return endpoints;
    }

    /** The endpoints that say nothing about who may call them (denied at run time, and a mistake here). */
    public static List<Endpoint> unannotated(Class<?> anyClassOfTheService) {
        return endpoints(anyClassOfTheService).stream().filter(e -> e.access().equals("none")).toList();
    }

    private static String annotation(AnnotatedElement element, Set<String> simpleNames) {
        for (Annotation a : element.getAnnotations()) {
            if (simpleNames.contains(a.annotationType().getSimpleName())) {
                return a.annotationType().getSimpleName();
            }
        }
        return null;
    }

    /** The value of a {@code jakarta.ws.rs.Path} (read reflectively: this module does not depend on JAX-RS). */
    private static String path(AnnotatedElement element) {
        for (Annotation a : element.getAnnotations()) {
            if (a.annotationType().getName().equals("jakarta.ws.rs.Path")) {
                try {
                    return (String) a.annotationType().getMethod("value").invoke(a);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return null;
    }

    private static String join(String base, String sub) {
        String b = base.startsWith("/") ? base : "/" + base;
        if (sub == null || sub.isEmpty()) {
            return b;
        }
        return (b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + (sub.startsWith("/") ? sub : "/" + sub);
    }
}
