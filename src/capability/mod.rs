//! Process capability: sigma estimators, capability and performance indices, intervals.
