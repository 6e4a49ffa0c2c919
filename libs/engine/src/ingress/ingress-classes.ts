import type { ControllerProfile } from './controller-profiles';
import type { Ingress, IngressClass } from './ingress-types';

export interface ClassDecision {
  /** The class the Ingress belongs to, if any resolves. */
  className?: string;
  /** How the class was found (or why none was). */
  how: string;
}

/**
 * The class of an Ingress: `spec.ingressClassName`, else the deprecated `kubernetes.io/ingress.class`
 * annotation (still honoured by ingress-nginx, Traefik and HAProxy), else the IngressClass annotated
 * `ingressclass.kubernetes.io/is-default-class: "true"`, which the admission plugin writes into new
 * Ingresses without a class. With several default classes admission assigns none (website
 * ingress.md "Default IngressClass").
 */
export function classOfIngress(ingress: Ingress, classes: IngressClass[]): ClassDecision {
  if (ingress.ingressClassName !== undefined)
    return {
      className: ingress.ingressClassName,
      how: `spec.ingressClassName: ${ingress.ingressClassName}`,
    };
  if (ingress.classAnnotation !== undefined)
    return {
      className: ingress.classAnnotation,
      how: `annotation kubernetes.io/ingress.class: ${ingress.classAnnotation} (deprecated)`,
    };
  const defaults = classes.filter((c) => c.isDefault);
  if (defaults.length === 1)
    return {
      className: defaults[0].name,
      how: `no class given: the default IngressClass ${defaults[0].name} was assigned`,
    };
  if (defaults.length > 1)
    return {
      how: `no class given and ${defaults.length} IngressClasses are marked default, so none was assigned`,
    };
  return { how: 'no class given and no IngressClass is marked default' };
}

export interface ServedIngresses {
  served: Ingress[];
  /** Ingresses this controller ignores, with the reason. */
  ignored: { ingress: Ingress; why: string }[];
}

/**
 * Which Ingresses a controller serves: those whose class names an IngressClass with this
 * controller's `spec.controller`. An Ingress naming an unknown class is served by nobody and gets
 * no address (ingress-controller-conformance ingress_class.feature). ingress-nginx also accepts the
 * legacy annotation value equal to its own class name without an IngressClass object.
 */
export function servedIngresses(
  profile: ControllerProfile,
  ingresses: Ingress[],
  classes: IngressClass[],
): ServedIngresses {
  const out: ServedIngresses = { served: [], ignored: [] };
  for (const ingress of ingresses) {
    const decision = classOfIngress(ingress, classes);
    if (decision.className === undefined) {
      out.ignored.push({ ingress, why: decision.how });
      continue;
    }
    const ingressClass = classes.find((c) => c.name === decision.className);
    const legacyMatch =
      !ingressClass &&
      ingress.ingressClassName === undefined &&
      decision.className === profile.className;
    if ((ingressClass && ingressClass.controller === profile.controller) || legacyMatch)
      out.served.push(ingress);
    else if (!ingressClass)
      out.ignored.push({ ingress, why: `IngressClass "${decision.className}" does not exist` });
    else
      out.ignored.push({
        ingress,
        why: `IngressClass "${decision.className}" belongs to controller ${ingressClass.controller}`,
      });
  }
  return out;
}
