// Claim names, message types, scopes and roles of LTI 1.3 Core, Deep Linking 2.0, AGS 2.0 and
// NRPS 2.0, spelled exactly as the specifications do (a claim name is a URI: one wrong character
// and the platform or the tool silently ignores it).
// https://www.imsglobal.org/spec/lti/v1p3 §5.3-5.4, https://www.imsglobal.org/spec/lti-dl/v2p0 §4,
// https://www.imsglobal.org/spec/lti-ags/v2p0 §3.1, https://www.imsglobal.org/spec/lti-nrps/v2p0 §3.6.

const LTI = 'https://purl.imsglobal.org/spec/lti/claim';
const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim';

export const LTI_CLAIMS = {
  messageType: `${LTI}/message_type`,
  version: `${LTI}/version`,
  deploymentId: `${LTI}/deployment_id`,
  targetLinkUri: `${LTI}/target_link_uri`,
  resourceLink: `${LTI}/resource_link`,
  roles: `${LTI}/roles`,
  context: `${LTI}/context`,
  custom: `${LTI}/custom`,
  launchPresentation: `${LTI}/launch_presentation`,
  toolPlatform: `${LTI}/tool_platform`,
  ags: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
  deepLinkingSettings: `${DL}/deep_linking_settings`,
  deepLinkingContentItems: `${DL}/content_items`,
  deepLinkingData: `${DL}/data`,
  deepLinkingMessage: `${DL}/msg`,
} as const;

export const LTI_VERSION = '1.3.0';

export const LTI_MESSAGE_TYPES = {
  resourceLink: 'LtiResourceLinkRequest',
  deepLinkingRequest: 'LtiDeepLinkingRequest',
  deepLinkingResponse: 'LtiDeepLinkingResponse',
} as const;

export const LTI_SCOPES = {
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  resultReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  memberships: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
} as const;

export const NRPS_MEMBERSHIPS_MEDIA_TYPE =
  'application/vnd.ims.lti-nrps.v2.membershipcontainer+json';

/**
 * Roles that get the instructor's view (LTI Core §A.2): context roles Instructor, Administrator,
 * ContentDeveloper, Mentor and TeachingAssistant (a sub-role of Instructor), as full URIs or in the
 * short form some platforms send; institution and system administrators too.
 */
const INSTRUCTOR_ROLES = new Set([
  'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor',
  'http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator',
  'http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper',
  'http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor',
  'http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant',
  'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator',
  'http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator',
  'Instructor',
  'Administrator',
  'ContentDeveloper',
  'Mentor',
]);

export function isInstructor(roles: readonly string[]): boolean {
  return roles.some((role) => INSTRUCTOR_ROLES.has(role));
}

const MEMBERSHIP_ROLE = 'http://purl.imsglobal.org/vocab/lis/v2/membership';
const INSTITUTION_LEARNER_ROLES = new Set([
  'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student',
  'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Learner',
]);

/**
 * A course member who takes the course (LTI Core §A.2.3): the context role Learner or one of its
 * sub-roles (`membership/Learner#NonCreditLearner`, …), full or short. A member with no context
 * role at all counts by the institution role Student or Learner; with a context role, the
 * institution role says nothing about this course (a teaching assistant is often a student).
 */
export function isLearner(roles: readonly string[]): boolean {
  const contextRoles = roles.filter(
    (role) => role.startsWith(MEMBERSHIP_ROLE) || !role.includes(':'),
  );
  if (contextRoles.length === 0) return roles.some((role) => INSTITUTION_LEARNER_ROLES.has(role));
  return contextRoles.some(
    (role) =>
      role === 'Learner' ||
      role === `${MEMBERSHIP_ROLE}#Learner` ||
      role.startsWith(`${MEMBERSHIP_ROLE}/Learner#`),
  );
}
