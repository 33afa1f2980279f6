import{a,b,c}from"./chunk-5GATZNU7.js";import"./chunk-WOT6VMZA.js";export{c as createMap,b as layerURL,a as maplibregl};
