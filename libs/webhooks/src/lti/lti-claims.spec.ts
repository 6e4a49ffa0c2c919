import { isInstructor, isLearner } from './lti-claims';

const MEMBERSHIP = 'http://purl.imsglobal.org/vocab/lis/v2/membership';
const INSTITUTION = 'http://purl.imsglobal.org/vocab/lis/v2/institution/person';

describe('course roles as NRPS reports them', () => {
  it.each([
    ['the context role Learner', [`${MEMBERSHIP}#Learner`], true],
    ['the short form', ['Learner'], true],
    ['a Learner sub-role', [`${MEMBERSHIP}/Learner#NonCreditLearner`], true],
    ['an institution Student with no context role', [`${INSTITUTION}#Student`], true],
    ['an Instructor', [`${MEMBERSHIP}#Instructor`], false],
    [
      'a teaching assistant who is a student of the institution',
      [`${MEMBERSHIP}/Instructor#TeachingAssistant`, `${INSTITUTION}#Student`],
      false,
    ],
    ['a Mentor', [`${MEMBERSHIP}#Mentor`], false],
    ['no role', [], false],
  ])('%s is a learner: %s', (_, roles, learner) => {
    expect(isLearner(roles)).toBe(learner);
  });

  it('an instructor is not a learner and the reverse', () => {
    expect(isInstructor([`${MEMBERSHIP}#Instructor`])).toBe(true);
    expect(isInstructor([`${MEMBERSHIP}#Learner`])).toBe(false);
  });
});
