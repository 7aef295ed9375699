/**
 * The settings of the core (T2 compile-time constants that matter here), declared under the
 * name `core` beside the plugins' own.
 *
 * @module
 */

import type { SettingSpecs } from "../plugin/settings.ts";

/** Settings of the core. */
export const CORE_SETTINGS: SettingSpecs = {
  SUBNET_ON: {
    type: "int",
    default: 1,
    min: 0,
    max: 1,
    description: "Label addresses with country and organisation (srcIPCC, srcIPOrg, ...)",
  },
  FLOW_TIMEOUT: {
    type: "float",
    default: 182,
    min: 0,
    description: "Default flow timeout in seconds",
  },
};
