import"./chunk-FKSBCBVM.js";import"./chunk-WOT6VMZA.js";
