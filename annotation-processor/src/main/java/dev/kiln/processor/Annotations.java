package dev.kiln.processor;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/** Reading annotations as mirrors: works the same for sources being compiled and for classes from jars. */
final class Annotations {
    private Annotations() {}

    static Optional<AnnotationMirror> find(Element e, String type) {
        for (AnnotationMirror m : e.getAnnotationMirrors()) {
            if (m.getAnnotationType().toString().equals(type)) return Optional.of(m);
        }
        return Optional.empty();
    }

    static Optional<AnnotationValue> value(AnnotationMirror m, String name) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : m.getElementValues().entrySet()) {
            if (e.getKey().getSimpleName().contentEquals(name)) return Optional.of(e.getValue());
        }
        return Optional.empty();
    }

    static Optional<String> string(AnnotationMirror m, String name) {
        return value(m, name).map(v -> v.getValue()).filter(String.class::isInstance).map(String.class::cast);
    }

    static Optional<Integer> integer(AnnotationMirror m, String name) {
        return value(m, name).map(v -> v.getValue()).filter(Integer.class::isInstance).map(Integer.class::cast);
    }

    /** The classes of a {@code Class<?>[]} element. */
    static List<TypeMirror> classes(AnnotationMirror m, String name) {
        return value(m, name).map(v -> v.getValue()).filter(List.class::isInstance)
                .map(l -> ((List<?>) l).stream().map(x -> (TypeMirror) ((AnnotationValue) x).getValue()).toList())
                .orElse(List.of());
    }

    /** A type's name without type-use annotations: {@code long}, {@code java.lang.String}, {@code java.util.List}. */
    static String typeName(TypeMirror t) {
        if (t.getKind().isPrimitive()) return t.getKind().toString().toLowerCase(java.util.Locale.ROOT);
        if (t.getKind() == TypeKind.DECLARED) return ((javax.lang.model.element.TypeElement) ((DeclaredType) t).asElement()).getQualifiedName().toString();
        return t.toString();
    }
}
